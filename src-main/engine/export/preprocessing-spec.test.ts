import { describe, expect, it } from 'vitest';
import { scalePixels } from '../inference/scale-pixels';
import { applyPreprocessing, preprocessingSpec } from './preprocessing-spec';

describe('preprocessing.json', () => {
  const pixels = Uint8Array.from({ length: 3 * 64 }, (_, i) => (i * 37) % 256);
  it.each([{ kind: 'unit' as const }, { kind: 'keras' as const, mode: 'tf' as const }, { kind: 'keras' as const, mode: 'torch' as const }, { kind: 'keras' as const, mode: 'caffe' as const }])(
    'following the written spec gives the app\'s own input (%o)',
    (scaling) => {
      const spec = preprocessingSpec(scaling, 8);
      const ours = scalePixels(pixels, scaling);
      const documented = applyPreprocessing(pixels, spec);
      let max = 0;
      for (let i = 0; i < ours.length; i++) max = Math.max(max, Math.abs(ours[i]! - documented[i]!));
      expect(max).toBeLessThan(1e-4);
      expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
    },
  );
});
