import * as tf from '@tensorflow/tfjs';
import type { LayersModel } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BundledName } from '../../api/types/models';
import { bundledModelArtifacts } from '../models/weights/bundled-bases';
import { compareRuntimes, randomFloats } from './test-support/parity';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Topology = { model_config: { config: { layers: { name: string; config: Record<string, unknown> }[]; output_layers: unknown } } };

/**
 * A bundled nsfwjs model exactly as Keras saved it (Keras 2.2.4 topology, pretrained weights,
 * its own trained 5-class head), loaded by tfjs itself; optionally cut at a layer and given a
 * smaller input, which its fixed-size head could not take.
 */
async function bundled(name: BundledName, cut?: { layer: string; size: number }): Promise<LayersModel> {
  const artifacts = await bundledModelArtifacts(name);
  if (!cut) return tf.loadLayersModel(tf.io.fromMemory(artifacts));
  const topology = structuredClone(artifacts.modelTopology) as Topology;
  const config = topology.model_config.config;
  config.layers = config.layers.slice(0, config.layers.findIndex((l) => l.name === cut.layer) + 1);
  config.output_layers = [[cut.layer, 0, 0]];
  config.layers[0]!.config.batch_input_shape = [null, cut.size, cut.size, 3];
  // The cut-off head's weights stay in the data, hence strict: false.
  return tf.loadLayersModel(tf.io.fromMemory({ ...artifacts, modelTopology: topology as unknown as object }), { strict: false });
}

describe('bundled pretrained models (real Keras topologies), ONNX Runtime vs tfjs', () => {
  it('nsfwjs MobileNetV2, the whole trained model at 224 (pooling, Flatten, Dense, Dropout, softmax head)', async () => {
    const model = await bundled('nsfwjs-mobilenet-v2');
    try {
      const classes = model.layers.map((l) => l.getClassName());
      expect(classes).toEqual(expect.arrayContaining(['AveragePooling2D', 'Flatten', 'Dense', 'Dropout']));
      const last = model.layers[model.layers.length - 1]!.name;
      const parity = await compareRuntimes(model, randomFloats(224 * 224 * 3, 21, 0, 1), 1, ['out_relu', last]);
      console.info(`nsfwjs MobileNetV2 224: max|Δ| out_relu ${parity.maxDiff[0]!.toExponential(2)} (max|x| ${parity.scale[0]!.toFixed(2)}), probabilities ${parity.maxDiff[1]!.toExponential(2)}`);
      expect(Math.max(...parity.maxDiff)).toBeLessThanOrEqual(1e-4);
    } finally {
      model.dispose();
    }
  });

  it('nsfwjs InceptionV3 trunk (Keras 2 names, BatchNorm without gamma) at 139, cut at mixed10', async () => {
    const model = await bundled('nsfwjs-inception-v3', { layer: 'mixed10', size: 139 });
    try {
      const parity = await compareRuntimes(model, randomFloats(139 * 139 * 3, 22, 0, 1), 1);
      console.info(`nsfwjs InceptionV3 139: max|Δ| mixed10 ${parity.maxDiff[0]!.toExponential(2)} (max|x| ${parity.scale[0]!.toFixed(2)})`);
      expect(parity.graph.outputShapes).toEqual([[3, 3, 2048]]);
      expect(parity.maxDiff[0]).toBeLessThanOrEqual(1e-4);
    } finally {
      model.dispose();
    }
  });
});
