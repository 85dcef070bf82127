import type { io } from '@tensorflow/tfjs';
import { GraftError } from '../../../api/errors';
import type { ArchName } from '../registry';
import { readNsfwjsArtifacts } from './nsfwjs-bundle';
import type { StoredWeights } from './stored-weights';
import { storedFromTfjs, topologyLayerNames } from './tfjs-weights';

/** Names of the pretrained trunks shipped inside npm packages (work offline). */
export type BundledName = 'nsfwjs-mobilenet-v2' | 'nsfwjs-inception-v3';

/** A pretrained trunk shipped with the app, described honestly for the UI. */
export interface BundledBase {
  name: BundledName;
  label: string;
  arch: ArchName;
  /** The input size it was trained at; the trunk loads at any size the architecture allows. */
  inputSize: number;
  /** Always false: the ImageNet classifier head is not in these files. */
  includeTopAvailable: false;
  description: string;
  license: string;
  /** Folder under nsfwjs's dist/models. */
  folder: string;
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

/** Reads a bundled trunk's weights (its 5-class head included; loading by name leaves it unused). */
export async function readBundledWeights(name: BundledName, modelsDir?: string): Promise<StoredWeights> {
  const base = bundledBase(name);
  const artifacts = await readNsfwjsArtifacts(base.folder, modelsDir);
  return storedFromTfjs(artifacts.weightSpecs, artifacts.weightData, topologyLayerNames(artifacts.modelTopology), {
    format: 'nsfwjs-bundle',
    source: base.label,
  });
}

/** The bundled model as tfjs artifacts, for `tf.loadLayersModel(tf.io.fromMemory(…))` (its own 5-class model). */
export async function bundledModelArtifacts(name: BundledName, modelsDir?: string): Promise<io.ModelArtifacts> {
  const artifacts = await readNsfwjsArtifacts(bundledBase(name).folder, modelsDir);
  const data = artifacts.weightData;
  return {
    modelTopology: artifacts.modelTopology,
    weightSpecs: artifacts.weightSpecs as io.WeightsManifestEntry[],
    weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer,
  };
}
