import { GraftError } from './errors';
import type { ArchName, ArchSpec, BundledBase, ModelInfo } from './types/models';

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

const HONEST =
  'Keras weights fine-tuned by the nsfwjs project for a 5-class content-moderation task, not ImageNet. ' +
  'The convolutional trunk is a real pretrained feature extractor; the ImageNet classifier head is absent, ' +
  'so include_top is not available.';

/** Every bundled trunk, in the order the UI lists them. */
export const BUNDLED_BASES: readonly BundledBase[] = [
  {
    name: 'nsfwjs-mobilenet-v2',
    label: 'MobileNetV2 — bundled (nsfwjs, 224)',
    arch: 'mobilenet_v2',
    inputSize: 224,
    includeTopAvailable: false,
    description: HONEST,
    license: 'MIT (nsfwjs)',
    folder: 'mobilenet_v2',
  },
  {
    name: 'nsfwjs-inception-v3',
    label: 'InceptionV3 — bundled (nsfwjs, 299)',
    arch: 'inception_v3',
    inputSize: 299,
    includeTopAvailable: false,
    description: HONEST,
    license: 'MIT (nsfwjs)',
    folder: 'inception_v3',
  },
];

/** Looks up a bundled trunk by name; a GraftError names the choices when it is unknown. */
export function bundledBase(name: string): BundledBase {
  const found = BUNDLED_BASES.find((b) => b.name === name);
  if (!found) {
    const known = BUNDLED_BASES.map((b) => b.name).join(', ');
    throw new GraftError('bad-request', `No bundled weights named "${name}"; choose one of ${known}.`);
  }
  return found;
}

/** Every architecture with its sizes, parameter counts and weight sources, for the model picker; builds nothing. */
export function listModels(): ModelInfo[] {
  return ARCH_NAMES.map((arch) => {
    const spec = ARCHITECTURES[arch];
    const bundled = BUNDLED_BASES.find((b) => b.arch === arch);
    return {
      arch,
      name: spec.displayName,
      family: spec.family,
      defaultInputSize: spec.defaultInputSize,
      minInputSize: spec.minInputSize,
      preprocessing: spec.preprocessMode,
      params: { ...spec.params },
      weightSources: [...spec.weightSources],
      bundled: bundled
        ? { name: bundled.name, label: bundled.label, inputSize: bundled.inputSize, description: bundled.description, license: bundled.license }
        : null,
    };
  });
}
