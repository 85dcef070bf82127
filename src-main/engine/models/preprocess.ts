import type { Tensor } from '@tensorflow/tfjs';
import { GraftError } from '../../api/errors';
import type { Tf } from '../backend';
import { ARCHITECTURES } from '../../api/model-catalog';
import type { ArchName, PreprocessMode } from '../../api/types/models';

export type { PreprocessMode };

/** ImageNet channel means in BGR order, as Keras's caffe mode subtracts them. */
export const CAFFE_MEAN_BGR = [103.939, 116.779, 123.68] as const;
/** ImageNet channel means (RGB) for torch mode, on the 0–1 scale. */
export const TORCH_MEAN_RGB = [0.485, 0.456, 0.406] as const;
/** ImageNet channel standard deviations (RGB) for torch mode. */
export const TORCH_STD_RGB = [0.229, 0.224, 0.225] as const;

/** The preprocessing mode an architecture's ImageNet weights expect. */
export function preprocessModeOf(arch: ArchName): PreprocessMode {
  return ARCHITECTURES[arch].preprocessMode;
}

/**
 * Keras `imagenet_utils.preprocess_input` for channels-last RGB pixels in 0–255, with the same
 * float32 operations in the same order so results match Keras:
 * - caffe: RGB → BGR, then subtract the BGR ImageNet means; no scaling.
 * - tf: x / 127.5 − 1 (range −1…1).
 * - torch: x / 255, subtract the RGB means, divide by the RGB standard deviations.
 * Returns a new float32 tensor of the same shape; the caller owns it and `x` is left alone.
 */
export function preprocessInput(tf: Tf, x: Tensor, mode: PreprocessMode): Tensor {
  const channelCount = x.shape[x.shape.length - 1];
  if (channelCount !== 3) {
    throw new GraftError('bad-request', `Images must have 3 colour channels (RGB, channels last); got shape [${x.shape.join(', ')}].`);
  }
  return tf.tidy(() => {
    const pixels = tf.cast(x, 'float32');
    switch (mode) {
      case 'tf':
        return tf.sub(tf.div(pixels, 127.5), 1);
      case 'torch':
        return tf.div(tf.sub(tf.div(pixels, 255), tf.tensor1d([...TORCH_MEAN_RGB])), tf.tensor1d([...TORCH_STD_RGB]));
      case 'caffe':
        return tf.sub(tf.reverse(pixels, -1), tf.tensor1d([...CAFFE_MEAN_BGR]));
      default:
        throw new GraftError('bad-request', `Unknown preprocessing mode "${String(mode)}"; expected caffe, tf or torch.`);
    }
  });
}
