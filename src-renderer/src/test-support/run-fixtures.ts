import type { RunDetail, TrainingConfig } from '../../../src-main/api/types/runs';
import type { BatchRecord, ClassificationReport } from '../../../src-main/api/types/training';
import type { StagedEpoch } from '../train/chart-series';

/** A batch record at `step` (epoch and batch derived from `perEpoch` batches per epoch). */
export function batchAt(step: number, perEpoch = 4, loss = 1 / (step + 1)): BatchRecord {
  return { epoch: Math.floor(step / perEpoch), batch: step % perEpoch, step, loss, acc: 0.5, lr: 0.001 };
}

/** An epoch record with validation figures. */
export function epochAt(epoch: number, stage: StagedEpoch['stage'] = 'head', loss = 1 / (epoch + 1)): StagedEpoch {
  return { epoch, stage, loss, acc: 0.6, valLoss: loss * 1.1, valAcc: 0.55, lr: 0.001, seconds: 2 };
}

/** A small training config, with `patch` applied over it. */
export function trainingConfig(patch: Partial<TrainingConfig> = {}): TrainingConfig {
  return {
    base: { arch: 'mobilenet_v2', weights: 'bundled', inputSize: 96 },
    head: { pooling: 'avg', layers: [] },
    freeze: { kind: 'head-only' },
    optimizer: { name: 'adam', learningRate: 0.001 },
    schedule: { kind: 'constant' },
    epochs: 3,
    batchSize: 16,
    twoStage: null,
    earlyStopping: null,
    classWeights: { kind: 'none' },
    labelSmoothing: 0,
    augment: null,
    augmentMode: { kind: 'cached', variants: 1 },
    seed: 1,
    useCache: true,
    runtime: 'auto',
    ...patch,
  };
}

/** A two-class report: `confusion` rows are true classes. */
export function report(confusion: number[][]): ClassificationReport {
  const n = confusion.length;
  const support = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const predicted = confusion[0]!.map((_, c) => confusion.reduce((a, row) => a + row[c]!, 0));
  const correct = confusion.reduce((a, row, i) => a + row[i]!, 0);
  const total = support.reduce((a, b) => a + b, 0);
  const precision = confusion.map((row, i) => (predicted[i] ? row[i]! / predicted[i]! : 0));
  const recall = confusion.map((row, i) => (support[i] ? row[i]! / support[i]! : 0));
  const f1 = precision.map((p, i) => (p + recall[i]! ? (2 * p * recall[i]!) / (p + recall[i]!) : 0));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / n;
  return {
    accuracy: correct / total,
    precision,
    recall,
    f1,
    support,
    confusion,
    macro: { precision: mean(precision), recall: mean(recall), f1: mean(f1) },
    weighted: { precision: mean(precision), recall: mean(recall), f1: mean(f1) },
  };
}

/** A run as runs.get returns it, with `patch` applied over it. */
export function runDetail(patch: Partial<RunDetail> = {}): RunDetail {
  return {
    id: 7,
    name: 'Run 7 · mobilenet_v2',
    status: 'completed',
    arch: 'mobilenet_v2',
    classes: ['cat', 'dog'],
    createdAt: '2026-01-02T10:00:00.000Z',
    finishedAt: '2026-01-02T10:05:00.000Z',
    epochs: 2,
    best: { epoch: 1, valAcc: 0.8, valLoss: 0.4 },
    testAcc: 0.75,
    backend: 'wasm',
    runtime: 'onnx',
    seconds: 300,
    error: null,
    hasCheckpoint: true,
    config: trainingConfig(),
    dir: '/project/runs/run-0007',
    checkpoints: { best: 'checkpoints/best', last: 'checkpoints/last' },
    history: [epochAt(0), epochAt(1)],
    batches: [batchAt(0), batchAt(1)],
    cache: { hits: 10, misses: 20, bytes: 1_000_000 },
    splitCounts: { train: 20, validation: 6, test: 6 },
    evaluations: [],
    ...patch,
  };
}
