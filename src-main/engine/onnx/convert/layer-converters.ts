import {
  convertActivation,
  convertDense,
  convertDropout,
  convertFlatten,
  convertIdentity,
  convertLeakyReLU,
  convertReLU,
  convertRescaling,
  convertSoftmax,
} from './basic-layers';
import { convertBatchNormalization } from './batch-norm';
import type { LayerConverter } from './context';
import { convertConv2D, convertDepthwiseConv2D, convertZeroPadding2D } from './conv-layers';
import { convertConcatenate, convertMerge } from './merge-layers';
import {
  convertAveragePooling2D,
  convertGlobalAveragePooling2D,
  convertGlobalMaxPooling2D,
  convertMaxPooling2D,
} from './pool-layers';

/** Converter per tfjs-layers class name; a class not listed here is refused by name. */
export const LAYER_CONVERTERS: Readonly<Record<string, LayerConverter>> = {
  Conv2D: convertConv2D,
  DepthwiseConv2D: convertDepthwiseConv2D,
  ZeroPadding2D: convertZeroPadding2D,
  BatchNormalization: convertBatchNormalization,
  MaxPooling2D: convertMaxPooling2D,
  AveragePooling2D: convertAveragePooling2D,
  GlobalAveragePooling2D: convertGlobalAveragePooling2D,
  GlobalMaxPooling2D: convertGlobalMaxPooling2D,
  Dense: convertDense,
  Flatten: convertFlatten,
  Activation: convertActivation,
  ReLU: convertReLU,
  LeakyReLU: convertLeakyReLU,
  Softmax: convertSoftmax,
  Rescaling: convertRescaling,
  Add: convertMerge,
  Multiply: convertMerge,
  Maximum: convertMerge,
  Minimum: convertMerge,
  Average: convertMerge,
  Concatenate: convertConcatenate,
  // Identity at inference (Keras training=False), which is the only mode a frozen forward runs in.
  Dropout: convertDropout,
  SpatialDropout1D: convertIdentity,
  GaussianNoise: convertIdentity,
  GaussianDropout: convertIdentity,
  AlphaDropout: convertIdentity,
};

