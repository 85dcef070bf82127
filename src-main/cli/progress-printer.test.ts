import { describe, expect, it } from 'vitest';
import { withProgress } from './progress-printer';

function capture() {
  const err: string[] = [];
  return { err, io: { out: () => undefined, err: (text: string) => void err.push(text) } };
}

describe('withProgress', () => {
  it('prints the first line at once, thins a burst and always prints the final state', async () => {
    const { io, err } = capture();
    const result = await withProgress(io, false, (n: number) => (n === 3 ? null : `${n}/10`), async (onProgress) => {
      for (let n = 0; n <= 10; n++) onProgress?.(n);
      return 'done';
    }, 60_000);
    expect(result).toBe('done');
    expect(err).toEqual(['0/10', '10/10']);
  });

  it('prints the latest line before a failure propagates, and nothing with --json', async () => {
    const { io, err } = capture();
    const failing = withProgress(io, false, (n: number) => `step ${n}`, async (onProgress) => {
      onProgress?.(1);
      onProgress?.(2);
      throw new Error('stopped');
    }, 60_000);
    await expect(failing).rejects.toThrow('stopped');
    expect(err).toEqual(['step 1', 'step 2']);
    const quiet = capture();
    await withProgress(quiet.io, true, (n: number) => `step ${n}`, async (onProgress) => {
      expect(onProgress).toBeUndefined();
    });
    expect(quiet.err).toEqual([]);
  });
});
