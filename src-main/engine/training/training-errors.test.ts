import { describe, expect, it } from 'vitest';
import { GraftError } from '../../api/errors';
import { explainTrainingError } from './training-errors';
import { smallConfig } from './test-support/train-fixtures';

describe('explainTrainingError', () => {
  it('says to lower the batch or input size when memory runs out', () => {
    const explained = explainTrainingError(new RangeError('Array buffer allocation failed'), smallConfig({ batchSize: 64 }));
    expect(explained).toMatchObject({ code: 'bad-request', message: expect.stringContaining('Lower the batch size (try 32)') });
  });

  it('says to free space and resume when the disk is full', () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(explainTrainingError(full, smallConfig())).toMatchObject({ code: 'io', message: expect.stringContaining('Free some space, then resume') });
  });

  it('leaves other errors alone', () => {
    const mine = new GraftError('cancelled', 'Cancelled.');
    expect(explainTrainingError(mine, smallConfig())).toBe(mine);
    const other = new Error('boom');
    expect(explainTrainingError(other, smallConfig())).toBe(other);
  });
});
