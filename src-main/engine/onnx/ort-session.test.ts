import { describe, expect, it } from 'vitest';
import { DEFAULT_THREADS, sessionOptions } from './ort-session';

describe('sessionOptions', () => {
  it('runs sequentially with every graph optimisation, the default threads, and idle threads not spinning', () => {
    expect(sessionOptions({})).toEqual({
      executionProviders: ['cpu'],
      intraOpNumThreads: DEFAULT_THREADS,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
  });

  it('lets threads spin only when asked, and passes the provider, threads and optimised-graph path', () => {
    const options = sessionOptions({ threads: 2, provider: 'cuda', allowSpinning: true, optimizedModelFilePath: '/tmp/x.onnx' });
    expect(options).toMatchObject({ executionProviders: ['cuda'], intraOpNumThreads: 2, optimizedModelFilePath: '/tmp/x.onnx' });
    expect(options).not.toHaveProperty('extra');
  });

  it('refuses a thread count that is not a positive whole number', () => {
    expect(() => sessionOptions({ threads: 0 })).toThrow(/positive whole number/);
    expect(() => sessionOptions({ threads: 1.5 })).toThrow(/positive whole number/);
  });
});
