import { rm, stat } from 'node:fs/promises';
import type { LayersModel } from '@tensorflow/tfjs';
import { openAtomicFile, tempPathFor } from '../../base/atomic-write';
import type { Tf } from '../backend';
import { kerasSnakeCase } from '../models/weights/keras3-layout';
import type { KerasFileMeta, KerasWriteResult } from './keras-file-meta';
import { ensureGroup, writeFloat32, writeH5File, writeStringAttr } from './h5-write';
import { kerasGraph, type KerasGraph } from './keras-graph';
import { kerasVariables } from './keras-layer-config';
import { keras3Metadata, keras3ModelConfig } from './keras3-config';
import { writeZip } from './zip-stream';

/**
 * Writes Keras 3's `model.weights.h5`: the model's own (empty) `vars` and, per layer in Keras's
 * order, `layers/<class>[_<n>]/vars/0, 1, …` in Keras's variable order. Keras 3 addresses a
 * layer by its class and count, not its name; the name goes on the `vars` group as Keras ≥ 3.6
 * records it. Returns the number of arrays written.
 */
async function writeKeras3Weights(file: string, graph: KerasGraph, modelName: string): Promise<number> {
  const perLayer = graph.layers.map(({ layer }) => ({ layer, vars: kerasVariables(layer) }));
  let count = 0;
  await writeH5File(file, (root) => {
    writeStringAttr(root.create_group('vars'), 'name', modelName);
    const used = new Map<string, number>();
    for (const { layer, vars } of perLayer) {
      const base = kerasSnakeCase(layer.getClassName());
      const seen = used.get(base);
      used.set(base, seen === undefined ? 0 : seen + 1);
      const key = seen === undefined ? base : `${base}_${seen + 1}`;
      const group = ensureGroup(root, `layers/${key}/vars`);
      writeStringAttr(group, 'name', layer.name);
      vars.forEach(({ variable }, i) => {
        writeFloat32(group, String(i), variable.shape as number[], variable.read().dataSync() as Float32Array);
        count += 1;
      });
    }
  });
  return count;
}

/**
 * Writes a trained model as a Keras 3 `.keras` archive that `keras.saving.load_model` loads:
 * `metadata.json`, `config.json` (the Functional model as Keras 3 serialises it, with only the
 * config keys Keras 3 accepts per layer class) and `model.weights.h5` (Keras 3's layout). The
 * archive appears whole under `file` or not at all. Throws a GraftError naming the layer and
 * class when the model holds something a Keras file cannot carry; nothing is written then.
 * `_tf` is the engine's tfjs, taken for the engine's calling convention: the weights are read
 * from the model itself.
 */
export async function writeKerasArchive(_tf: Tf, model: LayersModel, file: string, meta: KerasFileMeta = {}): Promise<KerasWriteResult> {
  const name = meta.name ?? model.name;
  const savedAt = meta.savedAt ?? new Date();
  const graph = kerasGraph(model);
  // Everything that can refuse the model runs before a byte is written.
  const config = keras3ModelConfig(model, name, graph);
  for (const { layer } of graph.layers) kerasVariables(layer);
  const weightsFile = tempPathFor(`${file}.weights.h5`);
  try {
    const weights = await writeKeras3Weights(weightsFile, graph, name);
    const out = await openAtomicFile(file);
    try {
      const encode = (value: unknown): Uint8Array => new Uint8Array(Buffer.from(JSON.stringify(value), 'utf8'));
      await writeZip(
        out,
        [
          { name: 'metadata.json', data: encode(keras3Metadata(savedAt)) },
          { name: 'config.json', data: encode(config) },
          { name: 'model.weights.h5', file: weightsFile },
        ],
        savedAt,
      );
    } catch (error) {
      await out.abort();
      throw error;
    }
    await out.commit();
    return { file, bytes: (await stat(file)).size, layers: graph.layers.length, weights };
  } finally {
    await rm(weightsFile, { force: true });
  }
}
