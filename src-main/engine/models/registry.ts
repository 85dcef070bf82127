/** The Keras Applications architectures Graft can build. */
export type ArchName = 'vgg16' | 'resnet50' | 'inception_v3' | 'mobilenet_v2';

/** Keras `preprocess_input` modes: which pixel scaling a family's weights were trained with. */
export type PreprocessMode = 'caffe' | 'tf' | 'torch';

/** Architecture families; archs of one family share preprocessing and head shape. */
export type ArchFamily = 'vgg' | 'resnet' | 'inception' | 'mobilenet';

/**
 * Where pretrained weights for an architecture can come from: Keras's ImageNet file
 * (downloaded), a file the user picks, or a model shipped inside an npm package.
 */
export type WeightSource = 'imagenet' | 'file' | 'bundled';

/** What Graft knows about one architecture before building it. */
export interface ArchSpec {
  name: ArchName;
  displayName: string;
  family: ArchFamily;
  /** The Keras model name, e.g. `resnet50` (MobileNetV2 appends `_<input size>`). */
  kerasName: string;
  /** Square input side used when no input shape is given. */
  defaultInputSize: number;
  /** Smallest input side Keras accepts for this architecture. */
  minInputSize: number;
  preprocessMode: PreprocessMode;
  /** Keras's published parameter counts at the default input size with 1000 classes. */
  params: { withTop: number; withoutTop: number };
  weightSources: readonly WeightSource[];
}

/** Every architecture, keyed by name; the numbers are Keras's own. */
export const ARCHITECTURES: Readonly<Record<ArchName, ArchSpec>> = {
  vgg16: {
    name: 'vgg16',
    displayName: 'VGG16',
    family: 'vgg',
    kerasName: 'vgg16',
    defaultInputSize: 224,
    minInputSize: 32,
    preprocessMode: 'caffe',
    params: { withTop: 138_357_544, withoutTop: 14_714_688 },
    weightSources: ['imagenet', 'file'],
  },
  resnet50: {
    name: 'resnet50',
    displayName: 'ResNet50',
    family: 'resnet',
    kerasName: 'resnet50',
    defaultInputSize: 224,
    minInputSize: 32,
    preprocessMode: 'caffe',
    params: { withTop: 25_636_712, withoutTop: 23_587_712 },
    weightSources: ['imagenet', 'file'],
  },
  inception_v3: {
    name: 'inception_v3',
    displayName: 'InceptionV3',
    family: 'inception',
    kerasName: 'inception_v3',
    defaultInputSize: 299,
    minInputSize: 75,
    preprocessMode: 'tf',
    params: { withTop: 23_851_784, withoutTop: 21_802_784 },
    // The nsfwjs npm package ships a Keras InceptionV3 trunk (see TOOLCHAIN.md).
    weightSources: ['imagenet', 'file', 'bundled'],
  },
  mobilenet_v2: {
    name: 'mobilenet_v2',
    displayName: 'MobileNetV2 (alpha 1.0)',
    family: 'mobilenet',
    kerasName: 'mobilenetv2_1.00',
    defaultInputSize: 224,
    minInputSize: 32,
    preprocessMode: 'tf',
    params: { withTop: 3_538_984, withoutTop: 2_257_984 },
    weightSources: ['imagenet', 'file', 'bundled'],
  },
};

/** Architecture names in display order. */
export const ARCH_NAMES: readonly ArchName[] = ['vgg16', 'resnet50', 'inception_v3', 'mobilenet_v2'];

/** True when `value` names an architecture Graft can build. */
export function isArchName(value: unknown): value is ArchName {
  return typeof value === 'string' && Object.hasOwn(ARCHITECTURES, value);
}
