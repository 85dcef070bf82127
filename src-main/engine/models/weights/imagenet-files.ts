import { GraftError } from '../../../api/errors';
import type { ArchName } from '../../../api/types/models';

/** Where Keras Applications publishes its ImageNet weights (`keras.applications.*` WEIGHTS_PATH). */
export const KERAS_APPLICATIONS_BASE_URL = 'https://storage.googleapis.com/tensorflow/keras-applications/';

/** Architectures with official ImageNet weight files: all of the registry's. */
export type ImagenetArch = ArchName;

/** One official weights file: its cache name, path under the base URL and the hash Keras checks. */
export interface WeightsFile {
  fileName: string;
  /** Path relative to the base URL, so tests and mirrors can swap the host. */
  urlPath: string;
  /** As Keras lists it: 32 hex digits is md5, 64 is sha256; null where Keras lists none. */
  hash: string | null;
}

// File names and hashes as keras/src/applications/{vgg16,resnet,inception_v3,mobilenet_v2}.py list them.
const FILES: Record<Exclude<ImagenetArch, 'mobilenet_v2'>, { top: WeightsFile; notop: WeightsFile }> = {
  vgg16: {
    top: { fileName: 'vgg16_weights_tf_dim_ordering_tf_kernels.h5', urlPath: 'vgg16/', hash: '64373286793e3c8b2b4e3219cbf3544b' },
    notop: { fileName: 'vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5', urlPath: 'vgg16/', hash: '6d6bbae143d832006294945121d1f1fc' },
  },
  resnet50: {
    top: { fileName: 'resnet50_weights_tf_dim_ordering_tf_kernels.h5', urlPath: 'resnet/', hash: '2cb95161c43110f7111970584f804107' },
    notop: { fileName: 'resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5', urlPath: 'resnet/', hash: '4d473c1dd8becc155b73f8504c6f6626' },
  },
  inception_v3: {
    top: { fileName: 'inception_v3_weights_tf_dim_ordering_tf_kernels.h5', urlPath: 'inception_v3/', hash: '9a0d58056eeedaa3f26cb7ebd46da564' },
    notop: { fileName: 'inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5', urlPath: 'inception_v3/', hash: 'bcbd6486424b2319ff4ef7d526e38f63' },
  },
};

const MOBILENET_V2_ROWS = [96, 128, 160, 192, 224];
const MOBILENET_V2_ALPHAS = [0.35, 0.5, 0.75, 1.0, 1.3, 1.4];

// Python's str(float(x)): 1 → "1.0", 0.5 → "0.5".
function pythonFloat(x: number): string {
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}

/**
 * The official Keras ImageNet weights file for an architecture. MobileNetV2 has one per input
 * size and width; like Keras, sizes outside 96/128/160/192/224 (or non-square) use 224.
 */
export function imagenetWeightsFile(
  arch: ImagenetArch,
  includeTop: boolean,
  options: { rows?: number | null; cols?: number | null; alpha?: number } = {},
): WeightsFile {
  if (arch !== 'mobilenet_v2') {
    const entry = FILES[arch];
    const file = includeTop ? entry.top : entry.notop;
    return { ...file, urlPath: file.urlPath + file.fileName };
  }
  const alpha = options.alpha ?? 1.0;
  if (!MOBILENET_V2_ALPHAS.includes(alpha)) {
    throw new GraftError('bad-request', `MobileNetV2 ImageNet weights exist for alpha 0.35, 0.5, 0.75, 1.0, 1.3 and 1.4, not ${alpha}.`);
  }
  const { rows, cols } = options;
  const size = rows && rows === (cols ?? rows) && MOBILENET_V2_ROWS.includes(rows) ? rows : 224;
  const fileName = `mobilenet_v2_weights_tf_dim_ordering_tf_kernels_${pythonFloat(alpha)}_${size}${includeTop ? '' : '_no_top'}.h5`;
  return { fileName, urlPath: `mobilenet_v2/${fileName}`, hash: null };
}
