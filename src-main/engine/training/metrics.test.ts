import { describe, expect, it } from 'vitest';
import { accuracy, argmaxRows, classificationReport, confusionMatrix, entropy, margin, perClassMetrics, perSampleLoss, topKAccuracy } from './metrics';
import { createRng } from './rng';
import { runSklearn, sklearnPython } from './test-support/sklearn';

function expectAllClose(actual: ArrayLike<number>, expected: number[], digits = 6): void {
  expect(actual).toHaveLength(expected.length);
  Array.from(actual).forEach((v, i) => expect(v, `element ${i}`).toBeCloseTo(expected[i]!, digits));
}

// Four classes; class 3 is neither a label nor a prediction (its metrics are 0/0 → 0).
const labels = [0, 0, 0, 1, 1, 2, 2, 2];
const predicted = [0, 0, 1, 1, 2, 2, 2, 0];

describe('hand-computed classification metrics', () => {
  it('accuracy and the confusion matrix (rows true, columns predicted)', () => {
    expect(accuracy(labels, predicted)).toBe(5 / 8);
    expect(accuracy([], [])).toBe(0);
    expect(confusionMatrix(labels, predicted, 4)).toEqual([
      [2, 1, 0, 0],
      [0, 1, 1, 0],
      [1, 0, 2, 0],
      [0, 0, 0, 0],
    ]);
    expect(() => confusionMatrix([0, 4], [0, 0], 4)).toThrow(RangeError);
    expect(() => confusionMatrix([0], [0, 1], 4)).toThrow(RangeError);
  });

  it('per-class precision, recall, F1 and support, with 0/0 as 0', () => {
    const m = perClassMetrics(confusionMatrix(labels, predicted, 4));
    expectAllClose(m.precision, [2 / 3, 1 / 2, 2 / 3, 0]);
    expectAllClose(m.recall, [2 / 3, 1 / 2, 2 / 3, 0]);
    expectAllClose(m.f1, [2 / 3, 1 / 2, 2 / 3, 0]);
    expect(m.support).toEqual([3, 2, 3, 0]);
    // A class that is never predicted: precision 0/0 → 0, recall 0, F1 0.
    const never = perClassMetrics(confusionMatrix([0, 1], [0, 0], 2));
    expectAllClose(never.precision, [0.5, 0]);
    expectAllClose(never.recall, [1, 0]);
    expectAllClose(never.f1, [2 / 3, 0]);
  });

  it('macro averages over every class, weighted averages by support', () => {
    const report = classificationReport(labels, predicted, 4);
    expect(report.accuracy).toBe(5 / 8);
    expect(report.macro.precision).toBeCloseTo((2 / 3 + 1 / 2 + 2 / 3) / 4, 12);
    expect(report.macro.f1).toBeCloseTo((2 / 3 + 1 / 2 + 2 / 3) / 4, 12);
    expect(report.weighted.precision).toBeCloseTo((3 * (2 / 3) + 2 * 0.5 + 3 * (2 / 3)) / 8, 12);
    expect(report.weighted.recall).toBeCloseTo(5 / 8, 12);
    expect(classificationReport([], [], 2).weighted).toEqual({ precision: 0, recall: 0, f1: 0 });
  });
});

// Rows of three classes with the label of each.
const probs = [0.5, 0.3, 0.2, 0.1, 0.6, 0.3, 0.2, 0.2, 0.6, 0.7, 0.2, 0.1];
const rowLabels = [1, 1, 0, 2];

describe('hand-computed probability metrics', () => {
  it('argmax per row, first on ties', () => {
    expect(Array.from(argmaxRows(probs, 3))).toEqual([0, 1, 2, 0]);
    expect(Array.from(argmaxRows([0.4, 0.4, 0.2], 3))).toEqual([0]);
    expect(() => argmaxRows([0.1, 0.2], 3)).toThrow(RangeError);
  });

  it('top-k accuracy counts a tie at the boundary for the label', () => {
    expect(topKAccuracy(probs, 3, rowLabels, 1)).toBe(1 / 4);
    // Row 3's label (0.2) ties with class 1 behind 0.6: it is in the top 2.
    expect(topKAccuracy(probs, 3, rowLabels, 2)).toBe(3 / 4);
    expect(topKAccuracy(probs, 3, rowLabels, 3)).toBe(1);
  });

  it('per-image loss is −log p(label), clipped like Keras', () => {
    expectAllClose(perSampleLoss(probs, 3, rowLabels), [-Math.log(0.3), -Math.log(0.6), -Math.log(0.2), -Math.log(0.1)], 5);
    expectAllClose(perSampleLoss([1, 0], 2, [1]), [-Math.log(1e-7)], 4);
  });

  it('margin is top-1 minus top-2; entropy in nats or normalised', () => {
    expectAllClose(margin(probs, 3), [0.2, 0.3, 0.4, 0.5]);
    expectAllClose(margin([0.5, 0.5, 1, 0], 2), [0, 1]);
    const h = -(0.5 * Math.log(0.5) + 0.3 * Math.log(0.3) + 0.2 * Math.log(0.2));
    expectAllClose(entropy(probs.slice(0, 3), 3), [h]);
    expectAllClose(entropy([1 / 3, 1 / 3, 1 / 3, 1, 0, 0], 3, true), [1, 0]);
  });
});

const sklearn = sklearnPython();

describe.skipIf(!sklearn.python)(`against ${sklearn.reason}`, () => {
  it('report, confusion matrix, top-2 accuracy and mean log loss agree on random data', () => {
    const rng = createRng(77);
    const n = 300;
    const k = 5;
    const y: number[] = [];
    const p: number[] = [];
    for (let i = 0; i < n; i++) {
      const label = rng.int(k - 1);
      // Class 4 stays unlikely and is never a label, so its metrics hit the 0/0 rule.
      const raw = Array.from({ length: k }, (_, c) => (c === 4 ? 0.01 : 1) * rng.next() ** 2 + (c === label ? rng.uniform(0, 0.6) : 0));
      const sum = raw.reduce((a, b) => a + b, 0);
      p.push(...raw.map((v) => v / sum));
      y.push(label);
    }
    const predicted = Array.from(argmaxRows(p, k));
    const ours = classificationReport(y, predicted, k);
    const theirs = runSklearn<{
      cm: number[][];
      p: number[];
      r: number[];
      f: number[];
      s: number[];
      acc: number;
      macro: number[];
      weighted: number[];
      top2: number;
      logloss: number;
    }>(
      `from sklearn import metrics as m
y, pred, probs, labels = data['y'], data['pred'], np.array(data['p']).reshape(-1, 5), list(range(5))
p, r, f, s = m.precision_recall_fscore_support(y, pred, labels=labels, zero_division=0)
macro = m.precision_recall_fscore_support(y, pred, labels=labels, zero_division=0, average='macro')[:3]
weighted = m.precision_recall_fscore_support(y, pred, labels=labels, zero_division=0, average='weighted')[:3]
print(json.dumps({'cm': m.confusion_matrix(y, pred, labels=labels).tolist(), 'p': p.tolist(), 'r': r.tolist(), 'f': f.tolist(),
  's': s.tolist(), 'acc': m.accuracy_score(y, pred), 'macro': list(macro), 'weighted': list(weighted),
  'top2': m.top_k_accuracy_score(y, probs, k=2, labels=labels), 'logloss': m.log_loss(y, probs, labels=labels)}))`,
      { y, pred: predicted, p },
    );
    expect(ours.confusion).toEqual(theirs.cm);
    expectAllClose(ours.precision, theirs.p, 12);
    expectAllClose(ours.recall, theirs.r, 12);
    expectAllClose(ours.f1, theirs.f, 12);
    expect(ours.support).toEqual(theirs.s);
    expect(ours.accuracy).toBeCloseTo(theirs.acc, 12);
    expectAllClose([ours.macro.precision, ours.macro.recall, ours.macro.f1], theirs.macro, 12);
    expectAllClose([ours.weighted.precision, ours.weighted.recall, ours.weighted.f1], theirs.weighted, 12);
    expect(topKAccuracy(p, k, y, 2)).toBeCloseTo(theirs.top2, 12);
    const meanLoss = Array.from(perSampleLoss(p, k, y)).reduce((a, b) => a + b, 0) / n;
    expect(meanLoss).toBeCloseTo(theirs.logloss, 5);
    // The data must exercise the 0/0 rule and be neither trivial nor hopeless.
    expect(ours.support[4]).toBe(0);
    expect(ours.accuracy).toBeGreaterThan(0.4);
    expect(ours.accuracy).toBeLessThan(0.95);
  });
});
