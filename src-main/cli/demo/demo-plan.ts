import type { SplitFractions } from '../../api/types/library';
import type { TrainingConfig } from '../../api/types/runs';

/** How the demo splits its photos: larger validation and test shares than usual, so 40 photos a class give a steady figure. */
export const DEMO_SPLITS: Readonly<SplitFractions> = { train: 0.6, validation: 0.2, test: 0.2 };

/** The seed of everything the demo draws: photos, splits, training. */
export const DEMO_SEED = 42;

/** The demo's defaults: photos per class, photo side, training input side. */
export const DEMO_DEFAULTS = { perClass: 40, photoSize: 128, inputSize: 128 } as const;

/** The block the demo fine-tunes from (MobileNetV2's last inverted-residual block, then Conv_1). */
export const DEMO_FINE_TUNE_FROM = 'block_16';

/** Epochs of the demo's two stages: the head on the frozen base, then the last block with it. */
export const DEMO_EPOCHS = { head: 15, fineTune: 5 } as const;

/**
 * Learning-rate factor of the demo's fine-tune stage. Measured on the demo set: at × 0.1
 * (Adam 1e-3) the first fine-tune epoch wrecks the trunk's features (validation loss 0.16 →
 * 1.41 with block_16, → 5.25 with block_14); at × 0.01 it stays put.
 */
export const DEMO_LR_FACTOR = 0.01;

/**
 * The demo's run: the bundled MobileNetV2 (offline) at a small input, the head first, then
 * (unless `headOnly`) the last block with the head at a hundredth of the learning rate.
 */
export function demoConfig(options: { inputSize: number; headOnly: boolean }): TrainingConfig {
  return {
    base: { arch: 'mobilenet_v2', weights: 'bundled', inputSize: options.inputSize },
    head: { pooling: 'avg', layers: [] },
    freeze: options.headOnly ? { kind: 'head-only' } : { kind: 'from', block: DEMO_FINE_TUNE_FROM },
    optimizer: { name: 'adam', learningRate: 1e-2 },
    schedule: { kind: 'constant' },
    epochs: DEMO_EPOCHS.head,
    batchSize: 16,
    twoStage: options.headOnly ? null : { fineTuneEpochs: DEMO_EPOCHS.fineTune, lrFactor: DEMO_LR_FACTOR },
    earlyStopping: null,
    classWeights: { kind: 'none' },
    labelSmoothing: 0,
    augment: null,
    augmentMode: { kind: 'cached', variants: 1 },
    seed: DEMO_SEED,
    useCache: true,
    runtime: 'auto',
  };
}
