import type { PreprocessingSpec } from '../../api/types/export';
import type { InputScaling } from '../inference/inference-model';
import { CAFFE_MEAN_BGR, TORCH_MEAN_RGB, TORCH_STD_RGB } from '../models/preprocess';

/** The preprocessing of a model as data: what `preprocessing.json` says, for a model's scaling and input size. */
export function preprocessingSpec(scaling: InputScaling, size: number): PreprocessingSpec {
  const common = { width: size, height: size, resize: 'stretch', interpolation: 'bilinear', exifOrientation: true, alpha: 'drop', layout: 'NHWC', dtype: 'float32' } as const;
  if (scaling.kind === 'unit') return { ...common, channelOrder: 'RGB', mode: 'unit', scale: 1 / 255, offset: 0, mean: [0, 0, 0], std: [1, 1, 1] };
  switch (scaling.mode) {
    case 'tf':
      return { ...common, channelOrder: 'RGB', mode: 'tf', scale: 1 / 127.5, offset: -1, mean: [0, 0, 0], std: [1, 1, 1] };
    case 'torch':
      return { ...common, channelOrder: 'RGB', mode: 'torch', scale: 1 / 255, offset: 0, mean: [...TORCH_MEAN_RGB], std: [...TORCH_STD_RGB] };
    case 'caffe':
      return { ...common, channelOrder: 'BGR', mode: 'caffe', scale: 1, offset: 0, mean: [...CAFFE_MEAN_BGR], std: [1, 1, 1] };
  }
}

/**
 * Applies a preprocessing spec to decoded, resized RGB bytes (HWC): what a program loading an
 * export does by reading `preprocessing.json`. The parity check uses it, so the documented
 * steps are the ones checked.
 */
export function applyPreprocessing(pixels: Uint8Array, spec: PreprocessingSpec): Float32Array {
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i += 3) {
    for (let c = 0; c < 3; c++) {
      const source = spec.channelOrder === 'BGR' ? 2 - c : c;
      out[i + c] = (pixels[i + source]! * spec.scale + spec.offset - spec.mean[c]!) / spec.std[c]!;
    }
  }
  return out;
}
