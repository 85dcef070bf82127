import { describe, expect, it } from 'vitest';
import { GraftError } from '../../api/errors';
import { classWeights, sampleWeights } from './class-weights';
import { runSklearn, sklearnPython } from './test-support/sklearn';

const names = ['cat', 'dog', 'fox'];

describe('classWeights', () => {
  it('none weighs every class 1', () => {
    expect(classWeights({ kind: 'none' }, [5, 50, 500], names)).toEqual([1, 1, 1]);
  });

  it("balanced is sklearn's n_samples / (n_classes × count)", () => {
    // 60 samples, 3 classes: 60 / (3 × 10) = 2, 60 / (3 × 20) = 1, 60 / (3 × 30) = 2/3.
    const weights = classWeights({ kind: 'balanced' }, [10, 20, 30], names);
    expect(weights[0]).toBeCloseTo(2, 12);
    expect(weights[1]).toBeCloseTo(1, 12);
    expect(weights[2]).toBeCloseTo(2 / 3, 12);
    // Sample weights then average to exactly 1 over the training set.
    const mean = (10 * weights[0]! + 20 * weights[1]! + 30 * weights[2]!) / 60;
    expect(mean).toBeCloseTo(1, 12);
    expect(classWeights({ kind: 'balanced' }, [7, 7, 7], names)).toEqual([1, 1, 1]);
  });

  it('balanced refuses a class with no training image, naming it', () => {
    expect(() => classWeights({ kind: 'balanced' }, [10, 0, 3], names)).toThrow(/"dog" has no training images/);
  });

  it('manual takes weights by class name; unnamed classes weigh 1', () => {
    expect(classWeights({ kind: 'manual', weights: { fox: 3, cat: 0.5 } }, [1, 1, 1], names)).toEqual([0.5, 1, 3]);
  });

  it('manual refuses unknown classes, negative or non-finite weights, and all zeros', () => {
    const refuse = (weights: Record<string, number>): void => {
      expect(() => classWeights({ kind: 'manual', weights }, [1, 1, 1], names)).toThrow(GraftError);
    };
    refuse({ wolf: 2 });
    refuse({ cat: -1 });
    refuse({ cat: Number.NaN });
    refuse({ cat: 0, dog: 0, fox: 0 });
  });

  it('checks that counts and names line up', () => {
    expect(() => classWeights({ kind: 'none' }, [1, 2], names)).toThrow(RangeError);
  });
});

describe('sampleWeights', () => {
  it('looks up each label', () => {
    expect(Array.from(sampleWeights([2, 1, 0.5], [0, 2, 2, 1]))).toEqual([2, 0.5, 0.5, 1]);
    expect(sampleWeights([1], new Int32Array(0))).toHaveLength(0);
  });

  it('refuses a label outside the classes', () => {
    expect(() => sampleWeights([1, 1], [0, 2])).toThrow(RangeError);
  });
});

const sklearn = sklearnPython();

describe.skipIf(!sklearn.python)(`balanced weights against ${sklearn.reason}`, () => {
  it('equal compute_class_weight("balanced") on uneven counts', () => {
    const counts = [3, 17, 1, 40, 9];
    const y = counts.flatMap((count, c) => new Array<number>(count).fill(c));
    const theirs = runSklearn<number[]>(
      `from sklearn.utils.class_weight import compute_class_weight
print(json.dumps(compute_class_weight('balanced', classes=np.arange(5), y=np.array(data)).tolist()))`,
      y,
    );
    const ours = classWeights({ kind: 'balanced' }, counts, ['a', 'b', 'c', 'd', 'e']);
    ours.forEach((w, i) => expect(w).toBeCloseTo(theirs[i]!, 12));
  });
});
