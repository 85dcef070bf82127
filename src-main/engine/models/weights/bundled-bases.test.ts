import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GraftError } from '../../../api/errors';
import { buildModel, type BuildOptions } from '../build-model';
import { ARCHITECTURES } from '../../../api/model-catalog';
import { bundledModelArtifacts, readBundledWeights } from './bundled-bases';
import { BUNDLED_BASES } from '../../../api/model-catalog';
import type { BundledName } from '../../../api/types/models';
import { loadWeights } from './load-weights';
import { parseJsLiteral } from './js-literal';
import { seededValues } from './test-support/tiny-models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Topology = { model_config: { config: { layers: { name: string; class_name: string; config: Record<string, unknown> }[]; output_layers: unknown } } };

/**
 * nsfwjs's own model loaded straight from its topology and weights (tfjs's loader, not ours),
 * cut at `outputLayer` and, for input sizes other than its own, re-shaped — the reference our
 * architecture plus our loader must reproduce.
 */
async function nsfwjsReference(name: BundledName, outputLayer: string, size: number): Promise<tf.LayersModel> {
  const artifacts = await bundledModelArtifacts(name);
  const topology = structuredClone(artifacts.modelTopology) as Topology;
  const config = topology.model_config.config;
  const cut = config.layers.findIndex((l) => l.name === outputLayer);
  config.layers = config.layers.slice(0, cut + 1);
  config.output_layers = [[outputLayer, 0, 0]];
  const input = config.layers[0]!;
  input.config.batch_input_shape = [null, size, size, 3];
  // The cut-off head's weights stay in the data, hence strict: false.
  return tf.loadLayersModel(tf.io.fromMemory({ ...artifacts, modelTopology: topology as unknown as object }), { strict: false });
}

function image(size: number): tf.Tensor4D {
  return tf.tensor4d(seededValues(size * size * 3, 42), [1, size, size, 3]);
}

async function compareAt(
  name: BundledName,
  arch: 'mobilenet_v2' | 'inception_v3',
  layer: string,
  size: number,
  options: BuildOptions = {},
): Promise<number> {
  const ours = buildModel(tf, arch, { ...options, includeTop: false, inputShape: [size, size, 3] });
  const report = await loadWeights(tf, ours, { kind: 'bundled', name });
  expect(report.mode).toBe('by-name');
  expect(report.unused).toEqual(['dense_1', 'dense_2', 'dense_3']);
  const reference = await nsfwjsReference(name, layer, size);
  const oursCut = tf.model({ inputs: ours.inputs, outputs: ours.getLayer(layer).output as tf.SymbolicTensor });
  const x = image(size);
  const a = oursCut.predict(x) as tf.Tensor;
  const b = reference.predict(x) as tf.Tensor;
  expect(a.shape).toEqual(b.shape);
  const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number;
  // Guard against a vacuous match (e.g. all zeros on both sides).
  expect(tf.moments(a).variance.dataSync()[0]).toBeGreaterThan(1e-4);
  tf.dispose([x, a, b]);
  ours.dispose();
  reference.dispose();
  return diff;
}

describe('bundled nsfwjs trunks', () => {
  it('are described honestly: not ImageNet, no classifier head', () => {
    expect(BUNDLED_BASES.map((b) => b.label)).toEqual(['MobileNetV2 — bundled (nsfwjs, 224)', 'InceptionV3 — bundled (nsfwjs, 299)']);
    for (const base of BUNDLED_BASES) {
      expect(base.includeTopAvailable).toBe(false);
      expect(base.description).toMatch(/not ImageNet/);
      // The registry must offer them too.
      expect(ARCHITECTURES[base.arch].weightSources).toContain('bundled');
      expect(ARCHITECTURES[base.arch].defaultInputSize).toBe(base.inputSize);
    }
  });

  it('reads the bundle without running its code, identical to tfjs decoding', async () => {
    const stored = await readBundledWeights('nsfwjs-mobilenet-v2');
    const artifacts = await bundledModelArtifacts('nsfwjs-mobilenet-v2');
    const reference = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
    expect(stored.layers[0]?.name).toBe('Conv1');
    let mismatches = 0;
    for (const layer of stored.layers) {
      for (const w of layer.weights) {
        const ours = w.read();
        const theirs = reference[w.name]!.dataSync();
        // A plain loop: deep-equality on 400k-element arrays takes seconds.
        if (ours.length !== theirs.length || ours.some((v, i) => v !== theirs[i])) mismatches += 1;
      }
    }
    expect(mismatches).toBe(0);
    tf.dispose(Object.values(reference));
  });

  it('MobileNetV2 trunk matches nsfwjs at out_relu on 224×224', async () => {
    expect(await compareAt('nsfwjs-mobilenet-v2', 'mobilenet_v2', 'out_relu', 224)).toBeLessThan(1e-4);
  });

  it('MobileNetV2 trunk loads at 96×96 and still matches', async () => {
    expect(await compareAt('nsfwjs-mobilenet-v2', 'mobilenet_v2', 'out_relu', 96)).toBeLessThan(1e-4);
  });

  it('InceptionV3 trunk (Keras 2 numbered names) matches nsfwjs at mixed10 on 75×75', async () => {
    expect(await compareAt('nsfwjs-inception-v3', 'inception_v3', 'mixed10', 75)).toBeLessThan(1e-4);
  });

  it('InceptionV3 with Keras 3 numbering (conv2d, conv2d_1, …) loads the Keras 2 names by rank', async () => {
    const diff = await compareAt('nsfwjs-inception-v3', 'inception_v3', 'mixed10', 75, { inceptionNaming: 'keras3' });
    expect(diff).toBeLessThan(1e-4);
  });

  it('refuses include_top with bundled weights', async () => {
    const model = buildModel(tf, 'mobilenet_v2', { includeTop: true, inputShape: [96, 96, 3], classes: 5 });
    const error = await loadWeights(tf, model, { kind: 'bundled', name: 'nsfwjs-mobilenet-v2' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraftError);
    expect((error as GraftError).message).toMatch(/no ImageNet classifier head.*includeTop: false/);
    model.dispose();
  });
});

describe('parseJsLiteral', () => {
  it('reads minified literals without evaluating them', () => {
    const text = `x.exports={a:!0,b:!1,"c":[.5,-1e-3,null,-0],d:{e:'q\\'s\\n',f:"\\u0041"},g:void 0}`;
    const { value } = parseJsLiteral(text, text.indexOf('{'));
    expect(value).toEqual({ a: true, b: false, c: [0.5, -0.001, null, -0], d: { e: "q's\n", f: 'A' }, g: null });
    expect(() => parseJsLiteral('{a:alert(1)}')).toThrow();
  });
});
