import type { LayersModel } from '@tensorflow/tfjs';
import { assertNever } from '../../api/errors';
import type { Tf } from '../backend';
import { resolveOptions, type BuildOptions } from './build-options';
import { buildInceptionV3 } from './inception-v3';
import { buildMobilenetV2 } from './mobilenet-v2';
import type { ArchName } from '../../api/types/models';
import { buildResnet50 } from './resnet50';
import { buildVgg16 } from './vgg16';

export type { Tf };
export type { BuildOptions, ClassifierActivation, Pooling } from './build-options';

/**
 * Builds a Keras Applications architecture with Keras's layer names and random initial weights
 * (Keras `weights=None`); pretrained weights are loaded afterwards by layer name. `tf` is passed
 * in because the engine may use tfjs-node's instance rather than `@tensorflow/tfjs`. The caller
 * owns the model and must `dispose()` it.
 */
export function buildModel(tf: Tf, arch: ArchName, options: BuildOptions = {}): LayersModel {
  const resolved = resolveOptions(arch, options);
  switch (arch) {
    case 'vgg16':
      return buildVgg16(tf, resolved);
    case 'resnet50':
      return buildResnet50(tf, resolved);
    case 'inception_v3':
      return buildInceptionV3(tf, resolved);
    case 'mobilenet_v2':
      return buildMobilenetV2(tf, resolved);
    default:
      return assertNever(arch, 'architecture');
  }
}
