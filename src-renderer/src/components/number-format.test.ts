import { describe, expect, it } from 'vitest';
import { formatBytes, formatLr, formatParams, formatParamsShort, roundLr } from './number-format';

describe('number formats', () => {
  it('writes parameter counts in full and short', () => {
    expect(formatParams(2_257_984)).toBe('2,257,984');
    expect(formatParamsShort(2_257_984)).toBe('2.26 M');
    expect(formatParamsShort(14_714_688)).toBe('14.7 M');
    expect(formatParamsShort(138_357_544)).toBe('138 M');
    expect(formatParamsShort(12_810)).toBe('12.8 k');
    expect(formatParamsShort(640)).toBe('640');
  });

  it('writes learning rates as people do', () => {
    expect(formatLr(0.0031622)).toBe('3.2e-3');
    expect(formatLr(1e-4)).toBe('1e-4');
    expect(formatLr(0.001)).toBe('1e-3');
    expect(formatLr(0.1)).toBe('0.1');
    expect(formatLr(0.025)).toBe('0.025');
    expect(roundLr(0.0031622)).toBe(0.0032);
  });

  it('writes sizes', () => {
    expect(formatBytes(9_406_464)).toBe('9.4 MB');
    expect(formatBytes(1_500)).toBe('2 kB');
  });
});
