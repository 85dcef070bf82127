import * as tf from '@tensorflow/tfjs';
import type { LayersModel, SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GraftError } from '../../api/errors';
import { ARCHITECTURES } from '../../api/model-catalog';
import type { HeadSpec } from '../../api/types/runs';
import { buildModel } from '../models/build-model';
import { freezeAll } from '../models/freeze';
import { applyFreezePlan } from './freeze-plan';
import { seededValues, useBackend } from './test-support/tf-backends';
import { buildTrainingModel, cutOf, withLinearOutput } from './training-model';

beforeAll(async () => {
  await useBackend('cpu');
});

let built: LayersModel[] = [];
afterEach(() => {
  const models = built;
  built = [];
  for (const m of models) m.dispose();
});

/** Keeps a model for disposal after the test. */
function keep(model: LayersModel): LayersModel {
  built.push(model);
  return model;
}

/** MobileNetV2 without its top at `size` pixels (32 is the smallest it takes). */
function mobilenet(size = 32): LayersModel {
  return buildModel(tf, 'mobilenet_v2', { includeTop: false, inputShape: [size, size, 3] });
}

/** A stand-in trunk for tests that only need a 4-D feature map. */
function tinyTrunk(): LayersModel {
  const input = tf.input({ shape: [8, 8, 3] });
  const features = tf.layers.conv2d({ filters: 16, kernelSize: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }).apply(input) as SymbolicTensor;
  return tf.model({ inputs: input, outputs: features });
}

const activationOf = (model: LayersModel, layer: string) => (model.getLayer(layer).getConfig() as { activation: string }).activation;
const TWO_LAYERS: HeadSpec = { pooling: 'avg', dropout: 0.2, layers: [{ units: 128, dropout: 0.3 }, { units: 64, activation: 'tanh' }] };

describe('buildTrainingModel', () => {
  it('names the head layers stably and counts parameters as Keras would', () => {
    const base = mobilenet();
    const model = keep(buildTrainingModel(tf, base, TWO_LAYERS, 5));
    const head = model.layers.slice(base.layers.length).map((l) => [l.name, l.getClassName()]);
    expect(head).toEqual([
      ['head_pool', 'GlobalAveragePooling2D'],
      ['head_dropout', 'Dropout'],
      ['head_dense_1', 'Dense'],
      ['head_dropout_1', 'Dropout'],
      ['head_dense_2', 'Dense'],
      ['predictions', 'Dense'],
    ]);
    const headParams = 1280 * 128 + 128 + 128 * 64 + 64 + 64 * 5 + 5;
    expect(model.countParams()).toBe(ARCHITECTURES.mobilenet_v2.params.withoutTop + headParams);
    expect(model.outputs[0]!.shape).toEqual([null, 5]);
    expect(activationOf(model, 'head_dense_2')).toBe('tanh');
    expect(activationOf(model, 'head_dense_1')).toBe('relu');
    expect(activationOf(model, 'predictions')).toBe('softmax');
  });

  it('shares the trunk layers (training the model trains the trunk); max pooling', () => {
    const base = mobilenet();
    const model = keep(buildTrainingModel(tf, base, { pooling: 'max', layers: [] }, 3));
    expect(model.getLayer('Conv1')).toBe(base.getLayer('Conv1'));
    expect(model.getLayer('head_pool').getClassName()).toBe('GlobalMaxPooling2D');
  });

  it('flatten keeps every position: 2×2×1280 features at 64 pixels', () => {
    const model = keep(buildTrainingModel(tf, mobilenet(64), { pooling: 'flatten', layers: [] }, 4));
    expect(model.getLayer('head_flatten').outputShape).toEqual([null, 2 * 2 * 1280]);
    expect(model.getLayer('predictions').countParams()).toBe(2 * 2 * 1280 * 4 + 4);
  });

  it('one sigmoid unit for two classes when asked', () => {
    const model = keep(buildTrainingModel(tf, tinyTrunk(), { pooling: 'avg', layers: [], output: 'sigmoid' }, 2));
    expect(model.outputs[0]!.shape).toEqual([null, 1]);
    expect(activationOf(model, 'predictions')).toBe('sigmoid');
  });

  it('the same seed gives the same initial head; another seed another', () => {
    const weights = (seed: number) => {
      const model = keep(buildTrainingModel(tf, tinyTrunk(), TWO_LAYERS, 5, seed));
      return ['head_dense_1', 'head_dense_2', 'predictions'].map((name) => Array.from(model.getLayer(name).getWeights()[0]!.dataSync()));
    };
    expect(weights(3)).toEqual(weights(3));
    const [a, b] = [weights(3), weights(4)];
    for (let i = 0; i < a.length; i++) expect(a[i]).not.toEqual(b[i]);
  });

  it('dropout draws a new mask on every training call (a seeded tfjs Dropout would not)', () => {
    const model = keep(buildTrainingModel(tf, tinyTrunk(), { pooling: 'avg', dropout: 0.5, layers: [] }, 2, 7));
    const dropped = tf.model({ inputs: model.inputs, outputs: model.getLayer('head_dropout').output as SymbolicTensor });
    const [a, b] = tf.tidy(() => {
      const x = tf.tensor4d(seededValues([2, 8, 8, 3], 1), [2, 8, 8, 3]);
      return [0, 1].map(() => (dropped.apply(x, { training: true }) as Tensor).dataSync());
    });
    expect(a).not.toEqual(b);
  });

  it.each([
    [{ pooling: 'avg', layers: [] } as HeadSpec, 1, /at least two classes/],
    [{ pooling: 'avg', layers: [] } as HeadSpec, 2.5, /at least two classes/],
    [{ pooling: 'avg', layers: [], output: 'sigmoid' } as HeadSpec, 3, /exactly two classes/],
    [{ pooling: 'avg', layers: [{ units: 0 }] } as HeadSpec, 3, /positive whole number of units/],
    [{ pooling: 'avg', layers: [{ units: 8, dropout: 1 }] } as HeadSpec, 3, /below 1/],
    [{ pooling: 'avg', dropout: -0.1, layers: [] } as HeadSpec, 3, /at least 0/],
    [{ pooling: 'mean', layers: [] } as unknown as HeadSpec, 3, /"avg", "max" or "flatten"/],
  ])('refuses %o with %d classes', (head, classes, message) => {
    const trunk = tinyTrunk();
    expect(() => buildTrainingModel(tf, trunk, head, classes)).toThrow(message);
    expect(() => buildTrainingModel(tf, trunk, head, classes)).toThrow(GraftError);
    trunk.dispose();
  });

  it('refuses a trunk that is already pooled', () => {
    const pooled = keep(buildModel(tf, 'mobilenet_v2', { includeTop: false, pooling: 'avg', inputShape: [32, 32, 3] }));
    expect(() => buildTrainingModel(tf, pooled, { pooling: 'avg', layers: [] }, 2)).toThrow(/without pooling/);
  });
});

describe('withLinearOutput', () => {
  it.each([
    ['softmax', 3, (logits: Tensor) => tf.softmax(logits)],
    ['sigmoid', 2, (logits: Tensor) => tf.sigmoid(logits)],
  ] as const)('gives the logits under the final %s, and puts the activation back even when the call throws', (output, classes, activate) => {
    const model = keep(buildTrainingModel(tf, tinyTrunk(), { pooling: 'avg', layers: [], output }, classes, 2));
    const x = tf.tensor4d(seededValues([3, 8, 8, 3], 4), [3, 8, 8, 3]);
    const probabilities = tf.tidy(() => (model.predict(x) as Tensor).dataSync());
    const [logits, activated] = withLinearOutput(tf, model, () =>
      tf.tidy(() => {
        const raw = model.predict(x) as Tensor;
        return [raw.dataSync(), activate(raw).dataSync()];
      }),
    );
    expect(Array.from(logits)).not.toEqual(Array.from(probabilities));
    activated.forEach((p, i) => expect(p).toBeCloseTo(probabilities[i]!, 6));
    expect(() =>
      withLinearOutput(tf, model, () => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(activationOf(model, 'predictions')).toBe(output);
    expect(tf.tidy(() => (model.predict(x) as Tensor).dataSync())).toEqual(probabilities);
    x.dispose();
  });
});

describe('cutOf', () => {
  it('a head-only plan caches the pooled vector (not the feature map): the boundary is head_pool, even with dropout after it', () => {
    for (const dropout of [0, 0.3]) {
      const model = keep(buildTrainingModel(tf, mobilenet(64), { pooling: 'avg', dropout, layers: [{ units: 8, dropout: 0.2 }] }, 3));
      applyFreezePlan(model, 'mobilenet_v2', { kind: 'head-only' });
      const cut = cutOf(tf, model);
      expect(cut.boundary).toEqual(['head_pool']);
      expect(cut.suffix.inputs.map((i) => i.shape)).toEqual([[null, 1280]]);
      expect(cut.fromLogits).toBe(true);
      expect(cut.prefixLayers).toContain('head_pool');
      expect(cut.prefixLayers).not.toContain('head_dense_1');
      cut.dispose();
    }
  });

  it('disposing the cut leaves the model working; disposing the model then frees everything', () => {
    const baseline = tf.memory().numTensors;
    const model = buildTrainingModel(tf, mobilenet(), { pooling: 'avg', layers: [{ units: 16 }] }, 3, 1);
    applyFreezePlan(model, 'mobilenet_v2', { kind: 'blocks', blocks: ['Conv_1'] });
    const x = tf.tensor4d(seededValues([1, 32, 32, 3], 6), [1, 32, 32, 3]);
    const predict = () => tf.tidy(() => (model.predict(x) as Tensor).dataSync());
    const expected = predict();
    const ownCalls = () => model.layers.filter((l) => Object.prototype.hasOwnProperty.call(l, 'call')).map((l) => l.getClassName());
    const cut = cutOf(tf, model, { batchNormInference: 'all' });
    // BatchNorm's Keras semantics and the wasm layer calls (ReLU6, pooling, linear convolutions) are in place…
    expect(new Set(ownCalls())).toEqual(new Set(['BatchNormalization', 'ReLU', 'GlobalAveragePooling2D', 'Conv2D']));
    cut.dispose();
    // …and gone with the cut.
    expect(ownCalls()).toEqual([]);
    expect(predict()).toEqual(expected);
    model.dispose();
    x.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('cuts again after a cut that applied the new boundary layer once more (a plan changed on the same model)', () => {
    const model = keep(buildTrainingModel(tf, mobilenet(), { pooling: 'avg', layers: [] }, 3));
    const x = tf.tensor4d(seededValues([1, 32, 32, 3], 8), [1, 32, 32, 3]);
    applyFreezePlan(model, 'mobilenet_v2', { kind: 'layers', layers: ['block_15_project'] });
    cutOf(tf, model).dispose();
    // The first suffix applied block_15_add again; it is the second cut's boundary.
    applyFreezePlan(model, 'mobilenet_v2', { kind: 'blocks', blocks: ['block_16', 'Conv_1'] });
    const cut = cutOf(tf, model);
    expect(cut.boundary).toEqual(['block_15_add']);
    const boundary = tf.model({ inputs: model.inputs, outputs: model.getLayer('block_15_add').getOutputAt(0) as SymbolicTensor });
    const [composed, whole] = tf.tidy(() => [(cut.suffix.predict(boundary.predict(x)) as Tensor).dataSync(), (model.predict(x) as Tensor).dataSync()]);
    expect(Array.from(composed)).toEqual(Array.from(whole));
    cut.dispose();
    x.dispose();
  });

  it('refuses a model in which nothing trains', () => {
    const model = keep(buildTrainingModel(tf, mobilenet(), { pooling: 'avg', layers: [] }, 3));
    freezeAll(model);
    expect(() => cutOf(tf, model)).toThrow(/Nothing in this model trains/);
  });

  it('a model whose first layer trains has the image itself as its boundary', () => {
    const model = keep(buildTrainingModel(tf, mobilenet(), { pooling: 'avg', layers: [] }, 3));
    applyFreezePlan(model, 'mobilenet_v2', { kind: 'layers', layers: ['Conv1'] });
    const cut = cutOf(tf, model);
    expect(cut.boundary).toEqual([model.inputs[0]!.sourceLayer.name]);
    expect(cut.suffix.inputs.map((i) => i.shape)).toEqual([[null, 32, 32, 3]]);
    cut.dispose();
  });
});
