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
export function scalePixels(pixels: ArrayLike<number>, scaling: InputScaling, out: Float32Array = new Float32Array(pixels.length)): Float32Array {
  if (pixels.length % 3 !== 0) throw new GraftError('bad-request', `RGB pixels come in threes; got ${pixels.length} values.`);
  if (out.length !== pixels.length) throw new GraftError('bad-request', `The output holds ${out.length} values; ${pixels.length} are needed.`);
  return pixels instanceof Uint8Array ? scaleBytes(pixels, scaling, out) : scaleEach(pixels, scaling, out);
}

/** Per (byte value, channel) results of each scaling, computed once with `scaleEach` itself. */
const tables = new Map<string, Float32Array>();

/**
 * Decoded images are bytes, so every result is one of 256 per channel: a table lookup gives
 * the same floats as `scaleEach` several times faster, which matters on the thread that also
 * drives inference.
 */
function scaleBytes(pixels: Uint8Array, scaling: InputScaling, out: Float32Array): Float32Array {
  const key = scaling.kind === 'unit' ? 'unit' : scaling.mode;
  let table = tables.get(key);
  if (!table) {
    // Row v holds the outputs for an input whose three channels are all v.
    table = scaleEach(Uint8Array.from({ length: 256 * 3 }, (_, i) => Math.floor(i / 3)), scaling, new Float32Array(256 * 3));
    tables.set(key, table);
  }
  // Caffe mode writes channel c from input channel 2 − c (RGB → BGR).
  const swap = scaling.kind === 'keras' && scaling.mode === 'caffe';
  for (let i = 0; i < pixels.length; i += 3) {
    const a = pixels[i]!;
    const b = pixels[i + 1]!;
    const c = pixels[i + 2]!;
    out[i] = table[3 * (swap ? c : a)]!;
    out[i + 1] = table[3 * b + 1]!;
    out[i + 2] = table[3 * (swap ? a : c) + 2]!;
  }
  return out;
}

/** The scaling computed value by value, for any numeric input. */
function scaleEach(pixels: ArrayLike<number>, scaling: InputScaling, out: Float32Array): Float32Array {
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
