import type { DatasetSnapshot, TrainingConfig } from '../../../api/types/runs';
import type { Tf } from '../../backend';
import { createFrozenForward } from '../../onnx/select-frozen-forward';
import { modelInput } from '../prefix-activations';
import { buildTrainingBase } from '../training-base';
import { buildTrainingModel } from '../training-model';
import { runSklearn } from './sklearn';

/**
 * The reference a head-only run is judged against: the same pooled features of the run's
 * base (`head_pool`), fed to scikit-learn's LogisticRegression fitted on the train split;
 * returns its test-split accuracy.
 */
export async function logisticBaselineAccuracy(tf: Tf, config: TrainingConfig, dataset: DatasetSnapshot): Promise<number> {
  const base = await buildTrainingBase(tf, config.base);
  const model = buildTrainingModel(tf, base.model, config.head, dataset.classes.length);
  const size = config.base.inputSize!;
  const { forward } = await createFrozenForward(tf, model, { choice: 'auto', outputs: ['head_pool'] });
  const features: number[][] = [];
  try {
    for (const image of dataset.images) {
      const input = await modelInput({ path: image.path, contentHash: image.contentHash, variant: 0 }, { size, scaling: base.scaling, augment: null, seed: 0 });
      features.push(Array.from((await forward.run(input, 1))[0]!));
    }
  } finally {
    forward.dispose();
    model.dispose();
  }
  const pick = (split: string) => dataset.images.flatMap((image, i) => (image.split === split ? [i] : []));
  const reference = runSklearn<{ accuracy: number }>(
    `from sklearn.linear_model import LogisticRegression
X = np.array(data['x']); y = np.array(data['y'])
clf = LogisticRegression(max_iter=5000).fit(X[data['train']], y[data['train']])
print(json.dumps({'accuracy': float(clf.score(X[data['test']], y[data['test']]))}))`,
    { x: features, y: dataset.images.map((i) => i.label), train: pick('train'), test: pick('test') },
  );
  return reference.accuracy;
}
