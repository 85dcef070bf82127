import type { Group } from 'h5wasm';
import path from 'node:path';
import { GraftError } from '../../../api/errors';
import { childGroup, datasetWeight, isDataset, openH5, readStringList } from './h5-file';
import { readKeras3Layout, type KerasLayerConfig } from './keras3-layout';
import type { StoredLayer, StoredWeight, StoredWeights } from './stored-weights';
import { weightRole } from './weight-roles';
import { DEFAULT_WEIGHTS_BUDGET } from './weights-budget';

function prefixOf(weightName: string): string {
  const slash = weightName.lastIndexOf('/');
  return slash < 0 ? '' : weightName.slice(0, slash);
}

/**
 * A nested model is saved as one entry of `layer_names` whose `weight_names` span many layers
 * (`block1_conv1/kernel:0`, `block1_conv2/kernel:0`, …); split it so names match leaf layers.
 */
function splitNested(layerName: string, weights: StoredWeight[]): StoredLayer[] {
  const prefixes = [...new Set(weights.map((w) => prefixOf(w.name)))];
  if (prefixes.length <= 1) return [{ name: layerName, weights }];
  return prefixes.map((prefix) => ({
    name: prefix.slice(prefix.lastIndexOf('/') + 1),
    weights: weights.filter((w) => prefixOf(w.name) === prefix),
  }));
}

function readLegacyLayers(root: Group, layerNames: string[], label: string): StoredLayer[] {
  const layers: StoredLayer[] = [];
  for (const layerName of layerNames) {
    const group = childGroup(root, layerName);
    if (!group) {
      throw new GraftError('io', `${label} lists layer "${layerName}" but holds no group for it; the file is corrupt.`);
    }
    const weights = (readStringList(group, 'weight_names') ?? []).map((weightName) => {
      const dataset = group.get(weightName);
      if (!isDataset(dataset)) {
        throw new GraftError('io', `${label} lists weight "${weightName}" of layer "${layerName}" but it is missing.`);
      }
      return datasetWeight(dataset, weightName, weightRole(weightName));
    });
    layers.push(...splitNested(layerName, weights));
  }
  return layers;
}

/**
 * Reads Keras weights from an `.h5` file: Keras 1/2 `save_weights` files (root `layer_names`,
 * datasets under `/<layer>/<weight_name>`), full-model files (the same under `/model_weights`),
 * and Keras 3 `.weights.h5` files (`layers/<…>/vars/0, 1, …`), which carry no config: for
 * those `structure` (usually the target model's, as Keras itself does) says which is which.
 * A file larger than `maxBytes` (see weightsByteBudget) is refused unopened.
 */
export async function readKerasH5(
  file: string,
  structure: KerasLayerConfig[] | null = null,
  maxBytes = DEFAULT_WEIGHTS_BUDGET,
): Promise<StoredWeights> {
  const label = path.basename(file);
  const h5 = await openH5(file, label, maxBytes);
  const dispose = (): void => void h5.close();
  try {
    let root: Group = h5;
    if (!readStringList(root, 'layer_names')) root = childGroup(h5, 'model_weights') ?? h5;
    const layerNames = readStringList(root, 'layer_names');
    if (layerNames) {
      return { format: 'keras-h5', source: label, layers: readLegacyLayers(root, layerNames, label), dispose };
    }
    if (childGroup(h5, 'layers') || childGroup(h5, '_layer_checkpoint_dependencies')) {
      return { format: 'keras-v3', source: label, layers: readKeras3Layout(h5, structure), dispose };
    }
    throw new GraftError(
      'bad-request',
      `${label} is an HDF5 file but holds no Keras weights (no "layer_names", "model_weights" or "layers").`,
    );
  } catch (error) {
    dispose();
    throw error;
  }
}
