import { describe, expect, it } from 'vitest';
import { epochAt } from '../test-support/run-fixtures';
import { overlayEpochs } from './compare-series';

describe('overlayEpochs', () => {
  it('puts two runs on the union of their epochs, null where one has none', () => {
    const a = [epochAt(0, 'head', 1), epochAt(1, 'head', 0.5)];
    const b = [epochAt(0, 'head', 2), epochAt(1, 'head', 1), epochAt(2, 'head', 0.25)];
    expect(overlayEpochs(a, b, ['loss'])).toEqual([
      [1, 2, 3],
      [1, 0.5, null],
      [2, 1, 0.25],
    ]);
    const both = overlayEpochs(a, b, ['acc', 'valAcc']);
    expect(both).toHaveLength(5);
    expect(both[2]).toEqual([0.55, 0.55, null]);
  });
});
