import type { TrainingConfig } from '../types/runs';

/**
 * A head-only run on the bundled MobileNetV2 at 32 px, two epochs of batch 8: the config tests,
 * e2e specs and benches start from, each overriding what it is about.
 */
export function headOnlyConfig(over: Partial<TrainingConfig> = {}): TrainingConfig {
  return {
    base: { arch: 'mobilenet_v2', weights: 'bundled', inputSize: 32 },
    head: { pooling: 'avg', layers: [] },
    freeze: { kind: 'head-only' },
    optimizer: { name: 'adam', learningRate: 0.01 },
    schedule: { kind: 'constant' },
    epochs: 2,
    batchSize: 8,
    twoStage: null,
    earlyStopping: null,
    classWeights: { kind: 'none' },
    labelSmoothing: 0,
    augment: null,
    augmentMode: { kind: 'cached', variants: 1 },
    seed: 1,
    useCache: true,
    runtime: 'auto',
    ...over,
  };
}
