import type { LayersModel } from '@tensorflow/tfjs';
import { GraftError } from '../../api/errors';
import { parseAutoName } from './keras-names';
import { ARCHITECTURES } from '../../api/model-catalog';
import type { ArchName } from '../../api/types/models';

/** A group of consecutive layers that the UI freezes and unfreezes together. */
export interface ModelBlock {
  name: string;
  /** Layer names in the model's (topological) order. */
  layers: string[];
  params: number;
  trainableParams: number;
}

/** The block that holds whatever follows the last convolutional block (classifier or pooling). */
export const HEAD_BLOCK = 'head';

/** A block is every layer the named last layer depends on that no earlier block already holds. */
interface Boundary {
  name: string;
  last: string;
}

type Layer = LayersModel['layers'][number];

/**
 * Splits a model into its architecture's blocks — VGG `block1`–`block5`; ResNet `conv1`–`conv5`;
 * Inception `stem`, `mixed0`–`mixed10`; MobileNetV2 `stem`, `block_1`–`block_16`, `Conv_1` —
 * followed by `head` when layers come after the last block. Every layer lands in exactly one block
 * (the input layer in the first). Works on any model that keeps the architecture's layer names,
 * including one with a grafted head or loaded from a Keras file.
 */
export function blocksOf(model: LayersModel, arch: ArchName): ModelBlock[] {
  const inModel = new Map(model.layers.map((layer) => [layer.name, layer]));
  const blockOf = new Map<string, string>();
  const order: string[] = [];
  for (const boundary of boundariesOf(arch, [...inModel.keys()])) {
    const last = inModel.get(boundary.last);
    if (!last) {
      throw new GraftError(
        'bad-request',
        `This model does not look like ${ARCHITECTURES[arch].displayName}: it has no layer "${boundary.last}" (end of block ${boundary.name}).`,
      );
    }
    order.push(boundary.name);
    const stack: Layer[] = [last];
    for (let layer = stack.pop(); layer; layer = stack.pop()) {
      if (blockOf.has(layer.name)) continue;
      blockOf.set(layer.name, boundary.name);
      for (const parent of parentsOf(layer)) if (inModel.get(parent.name) === parent) stack.push(parent);
    }
  }
  const blocks = new Map<string, ModelBlock>();
  for (const name of [...order, HEAD_BLOCK]) blocks.set(name, { name, layers: [], params: 0, trainableParams: 0 });
  for (const layer of model.layers) {
    const block = blocks.get(blockOf.get(layer.name) ?? HEAD_BLOCK)!;
    block.layers.push(layer.name);
    block.params += layer.countParams();
    // A model-level `trainable = false` overrides its layers, as in Keras.
    if (model.trainable) block.trainableParams += countOf(layer.trainableWeights);
  }
  return [...blocks.values()].filter((block) => block.layers.length > 0);
}

/** Block names of an architecture in order, without the head. */
export function blockNamesOf(arch: ArchName): string[] {
  return boundariesOf(arch, []).map((b) => b.name);
}

/** Number of scalars in a list of weights. */
export function countOf(weights: readonly { shape: readonly (number | null)[] }[]): number {
  return weights.reduce((sum, w) => sum + w.shape.reduce<number>((n, d) => n * (d ?? 0), 1), 0);
}

function parentsOf(layer: Layer): Layer[] {
  return layer.inboundNodes.flatMap((node) => node.inboundLayers);
}

function boundariesOf(arch: ArchName, layerNames: readonly string[]): Boundary[] {
  switch (arch) {
    case 'vgg16':
      return [1, 2, 3, 4, 5].map((i) => ({ name: `block${i}`, last: `block${i}_pool` }));
    case 'resnet50':
      return [
        { name: 'conv1', last: 'pool1_pool' },
        { name: 'conv2', last: 'conv2_block3_out' },
        { name: 'conv3', last: 'conv3_block4_out' },
        { name: 'conv4', last: 'conv4_block6_out' },
        { name: 'conv5', last: 'conv5_block3_out' },
      ];
    case 'inception_v3':
      return [
        { name: 'stem', last: inceptionStemEnd(layerNames) },
        ...Array.from({ length: 11 }, (_, i) => ({ name: `mixed${i}`, last: `mixed${i}` })),
      ];
    case 'mobilenet_v2': {
      const names = new Set(layerNames);
      return [
        { name: 'stem', last: 'expanded_conv_project_BN' },
        ...Array.from({ length: 16 }, (_, i) => {
          const id = i + 1;
          // Blocks whose input and output shapes match end in a residual add; the others in the projection.
          return { name: `block_${id}`, last: names.has(`block_${id}_add`) ? `block_${id}_add` : `block_${id}_project_BN` };
        }),
        { name: 'Conv_1', last: 'out_relu' },
      ];
    }
  }
}

/**
 * The stem ends at InceptionV3's second max-pooling layer. It has no fixed name (Keras numbers
 * it: `max_pooling2d_2` in Keras 2, `max_pooling2d_1` in Keras 3), so take the second by number.
 */
function inceptionStemEnd(layerNames: readonly string[]): string {
  const pools = layerNames
    .map((name) => ({ name, parsed: parseAutoName(name, ['max_pooling2d']) }))
    .filter((p) => p.parsed !== null)
    .sort((a, b) => a.parsed!.number - b.parsed!.number);
  return pools[1]?.name ?? 'max_pooling2d (second)';
}
