import { GraftError } from '../../api/errors';
import { CAFFE_MEAN_BGR, TORCH_MEAN_RGB, TORCH_STD_RGB } from '../models/preprocess';
import type { InputScaling } from './inference-model';

const f = Math.fround;

/**
 * `scaleInput` as a pure function on interleaved RGB pixels (0–255, channels last, any
 * number of images): the input a FrozenForward takes, the same on both runtimes. Each step
 * is rounded to float32 in the order tfjs computes it, so both give the same numbers.
 * Writes into `out` when given (e.g. a slot of a batch buffer) and returns it.
 */
export function scalePixels(pixels: ArrayLike<number>, scaling: InputScaling, out = new Float32Array(pixels.length)): Float32Array {
  if (pixels.length % 3 !== 0) throw new GraftError('bad-request', `RGB pixels come in threes; got ${pixels.length} values.`);
  if (out.length !== pixels.length) throw new GraftError('bad-request', `The output holds ${out.length} values; ${pixels.length} are needed.`);
  if (scaling.kind === 'unit') {
    for (let i = 0; i < pixels.length; i++) out[i] = f(pixels[i]! / 255);
    return out;
  }
  switch (scaling.mode) {
    case 'tf':
      for (let i = 0; i < pixels.length; i++) out[i] = f(f(pixels[i]! / 127.5) - 1);
      return out;
    case 'torch': {
      const mean = TORCH_MEAN_RGB.map(f);
      const std = TORCH_STD_RGB.map(f);
      for (let i = 0; i < pixels.length; i++) {
        const c = i % 3;
        out[i] = f(f(f(pixels[i]! / 255) - mean[c]!) / std[c]!);
      }
      return out;
    }
    case 'caffe': {
      const mean = CAFFE_MEAN_BGR.map(f);
      for (let i = 0; i < pixels.length; i += 3) {
        // RGB → BGR, then subtract the BGR means; read all three first so `out` may alias `pixels`.
        const r = pixels[i]!;
        const g = pixels[i + 1]!;
        const b = pixels[i + 2]!;
        out[i] = f(b - mean[0]!);
        out[i + 1] = f(g - mean[1]!);
        out[i + 2] = f(r - mean[2]!);
      }
      return out;
    }
    default:
      throw new GraftError('bad-request', `Unknown preprocessing mode "${String(scaling.mode)}"; expected caffe, tf or torch.`);
  }
}
