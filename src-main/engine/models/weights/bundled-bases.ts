import { bundledBase } from '../../../api/model-catalog';
import type { BundledName } from '../../../api/types/models';
import type { io } from '@tensorflow/tfjs';
import { readNsfwjsArtifacts } from './nsfwjs-bundle';
import type { StoredWeights } from './stored-weights';
import { storedFromTfjs, topologyLayerNames } from './tfjs-weights';

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
