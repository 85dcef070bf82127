import { describe, expect, it } from 'vitest';
import type { TrainProgress } from '../api/types/runs';
import type { ClassificationReport } from '../api/types/training';
import { bytes, duration, textTable } from './text-table';
import { confusionTable, epochLine, lossPlot, perClassTable, trainProgressLine } from './training-text';

const progress = (over: Partial<TrainProgress>): TrainProgress => ({
  runId: 1,
  phase: 'building',
  stage: null,
  message: 'Building the model…',
  runtime: null,
  epoch: 0,
  epochs: 0,
  batch: 0,
  batches: 0,
  lastBatch: null,
  lastEpoch: null,
  imagesPerSecond: null,
  etaSeconds: null,
  cache: null,
  ...over,
});

describe('training text', () => {
  it('words progress by phase: the message, the cache fill, the batch with its rate and time left', () => {
    expect(trainProgressLine(progress({}))).toBe('Building the model…');
    expect(trainProgressLine(progress({ phase: 'caching', cache: { done: 50, total: 150, hits: 20, misses: 30, bytes: 1 }, imagesPerSecond: 25 }))).toBe(
      'caching the frozen layers: 50/150 images · 20 from the cache · 25.0 images/s · 4 s left',
    );
    const batch = { epoch: 2, batch: 4, step: 40, loss: 0.123456, acc: 0.875, lr: 1e-3 };
    expect(trainProgressLine(progress({ phase: 'training', stage: 'fine-tune', epochs: 12, batches: 10, lastBatch: batch, imagesPerSecond: 80.04, etaSeconds: 95 }))).toBe(
      '[fine-tune] epoch 3/12 batch 5/10 · loss 0.1235 acc 0.875 · 80.0 images/s · 1 min 35 s left in this stage',
    );
    // No new batch since the last line: the job's own message (a checkpoint, the next stage).
    const saved = progress({ phase: 'training', stage: 'head', epochs: 12, batches: 10, lastBatch: batch, message: 'Saved the best checkpoint (epoch 3).' });
    expect(trainProgressLine(saved, 40)).toBe('Saved the best checkpoint (epoch 3).');
  });

  it('prints an epoch with training and validation figures, and dashes where there was no validation', () => {
    const e = { epoch: 0, stage: 'head' as const, loss: 0.5, acc: 0.75, valLoss: 0.25, valAcc: 0.8, lr: 0.001, seconds: 1.26 };
    expect(epochLine(e, 10)).toBe('[head] epoch 1/10: loss 0.5000 acc 0.750 val_loss 0.2500 val_acc 0.800 · lr 1.0e-3 · 1.3 s');
    expect(epochLine({ ...e, valLoss: null, valAcc: null }, null)).toBe('[head] epoch 1: loss 0.5000 acc 0.750 val_loss - val_acc - · lr 1.0e-3 · 1.3 s');
  });

  it('lays out the per-class report and the confusion matrix as sklearn does', () => {
    const report: ClassificationReport = {
      accuracy: 0.75,
      precision: [1, 0.5],
      recall: [0.5, 1],
      f1: [2 / 3, 2 / 3],
      support: [2, 1],
      confusion: [
        [1, 1],
        [0, 1],
      ],
      macro: { precision: 0.75, recall: 0.75, f1: 2 / 3 },
      weighted: { precision: 5 / 6, recall: 2 / 3, f1: 2 / 3 },
    };
    expect(perClassTable(['cat', 'dog'], report).split('\n')).toEqual([
      'class         precision  recall     f1  support',
      '------------  ---------  ------  -----  -------',
      'cat               1.000   0.500  0.667        2',
      'dog               0.500   1.000  0.667        1',
      'macro avg         0.750   0.750  0.667        3',
      'weighted avg      0.833   0.667  0.667        3',
    ]);
    expect(confusionTable(['cat', 'dog'], report.confusion).split('\n')).toEqual([
      'true \\ predicted  cat  dog',
      '----------------  ---  ---',
      'cat                 1    1',
      'dog                 0    1',
    ]);
  });

  it('plots loss against a log learning-rate axis, clips the diverging tail and marks the suggestion', () => {
    const points = Array.from({ length: 41 }, (_, i) => {
      const lr = 10 ** (-6 + i * 0.15);
      // Falls until 1e-2, then explodes.
      const loss = i <= 27 ? 2 - i * 0.05 : 0.65 + (i - 27) ** 2;
      return { lr, loss, smoothedLoss: loss };
    });
    const plot = lossPlot(points, 1e-3, 41, 8).split('\n');
    expect(plot).toHaveLength(8 + 3);
    expect(plot[0]).toMatch(/^ {3}2\.000 \|\*/);
    expect(plot[7]).toMatch(/^ {3}0\.650 \|/);
    // The lowest point is at the bottom; of the exploded tail only what stays under 1.5× the first loss shows.
    expect(plot[7]!.lastIndexOf('*')).toBe(10 + 27);
    expect(plot.slice(0, 8).join('').split('*')).toHaveLength(29 + 1);
    expect(plot[9]).toContain('1e-6');
    expect(plot[10]).toBe(`${' '.repeat(10 + 20)}^ 1.0e-3`);
    expect(lossPlot(points.slice(0, 1), null)).toBe('(too few points to plot)');
  });

  it('formats tables, durations and sizes', () => {
    expect(textTable(['a', 'bb'], [['xyz', '1'], ['w', '22']])).toBe('a    bb\n---  --\nxyz   1\nw    22');
    expect([duration(4.4), duration(65), duration(3725)]).toEqual(['4 s', '1 min 05 s', '1 h 02 min']);
    expect([bytes(500), bytes(1536), bytes(5 * 1024 ** 2), bytes(3.5 * 1024 ** 3)]).toEqual(['500 B', '1.5 KB', '5.0 MB', '3.5 GB']);
  });
});
