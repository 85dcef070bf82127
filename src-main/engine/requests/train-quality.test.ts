import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetSnapshot } from '../../api/types/runs';
import { createFrozenForward } from '../onnx/select-frozen-forward';
import { buildTrainingBase } from '../training/training-base';
import { buildTrainingModel } from '../training/training-model';
import { modelInput } from '../training/prefix-activations';
import { runSklearn, sklearnPython } from '../training/test-support/sklearn';
import { writeShapesDataset } from '../training/test-support/shapes-dataset';
import { smallConfig, testContext, trainTempDir } from '../training/test-support/train-fixtures';
import type { Tf } from '../backend';
import { runTrain } from './train';

const tmp = trainTempDir();
let dataset: DatasetSnapshot;
const sklearn = sklearnPython();
beforeAll(async () => {
  await tf.setBackend('cpu');
  dataset = await writeShapesDataset(`${tmp.dir}/images`, { classes: 4, perClass: 60, size: 96 });
}, 60_000);
afterAll(() => tmp.cleanup());

describe('training quality', () => {
  it.skipIf(!sklearn.python)(`a head-only run is within 0.03 of a logistic regression on the same features and split (${sklearn.reason})`, async () => {
    const config = smallConfig({
      base: { arch: 'mobilenet_v2', weights: 'bundled', inputSize: 96 },
      optimizer: { name: 'adam', learningRate: 0.003 },
      epochs: 60,
      batchSize: 32,
      runtime: 'auto',
    });
    const result = await runTrain(tmp.params('quality', config, dataset), testContext());
    const ours = result.evaluations.find((e) => e.split === 'test')!.report.accuracy;

    // The same pooled features, fed to scikit-learn's LogisticRegression.
    const base = await buildTrainingBase(tf as unknown as Tf, config.base);
    const model = buildTrainingModel(tf as unknown as Tf, base.model, config.head, dataset.classes.length);
    const { forward } = await createFrozenForward(tf as unknown as Tf, model, { choice: 'auto', outputs: ['head_pool'] });
    const features: number[][] = [];
    for (const image of dataset.images) {
      const input = await modelInput({ path: image.path, contentHash: image.contentHash, variant: 0 }, { size: 96, scaling: base.scaling, augment: null, seed: 0 });
      features.push(Array.from((await forward.run(input, 1))[0]!));
    }
    forward.dispose();
    model.dispose();
    const pick = (split: string) => dataset.images.flatMap((image, i) => (image.split === split ? [i] : []));
    const reference = runSklearn<{ accuracy: number }>(
      `from sklearn.linear_model import LogisticRegression
X = np.array(data['x']); y = np.array(data['y'])
clf = LogisticRegression(max_iter=5000).fit(X[data['train']], y[data['train']])
print(json.dumps({'accuracy': float(clf.score(X[data['test']], y[data['test']]))}))`,
      { x: features, y: dataset.images.map((i) => i.label), train: pick('train'), test: pick('test') },
    );
    console.log(`test accuracy: Graft head-only ${ours.toFixed(3)}, scikit-learn logistic regression ${reference.accuracy.toFixed(3)}`);
    expect(Math.abs(ours - reference.accuracy)).toBeLessThanOrEqual(0.03 + 1e-9);
  }, 300_000);
});
