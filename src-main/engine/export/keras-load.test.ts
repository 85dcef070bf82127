import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededValues } from '../models/weights/test-support/tiny-models';
import { writeKerasArchive } from './keras3-archive';
import { writeKerasH5 } from './keras2-h5';
import { fillTrained, maxAbsDiff, trainedCase } from './test-support/export-models';
import { layerZoo } from './test-support/layer-zoo';
import { kerasPython, runPython } from './test-support/python-h5py';
import { tempFolder } from './test-support/writer-cases';

// The real test of the formats: Keras itself loads the files and computes what tfjs computed.
// No Python Keras can be installed on the machines this project is built on (no Python package
// registry, and Debian does not package Keras), so this runs only where `import keras` works.

const LOAD = `
import numpy as np
import keras
x = np.asarray(data['input'], dtype='float32').reshape(data['shape'])
out = {'version': keras.__version__}
for kind in ('keras', 'h5'):
    if kind == 'keras' and not keras.__version__.startswith('3'):
        continue
    model = keras.saving.load_model(data[kind], compile=False) if kind == 'keras' else keras.models.load_model(data[kind], compile=False)
    out[kind] = {
        'output': np.asarray(model.predict(x, verbose=0), dtype='float32').ravel().tolist(),
        'layers': [l.name for l in model.layers],
    }
print(json.dumps(out))
`;

interface Loaded {
  version: string;
  keras?: { output: number[]; layers: string[] };
  h5?: { output: number[]; layers: string[] };
}

const keras = kerasPython();
let folder: ReturnType<typeof tempFolder>;
beforeAll(async () => {
  await tf.setBackend('cpu');
  folder = tempFolder('graft-keras-load-');
});
afterAll(() => folder.dispose());

const CASES = [
  { label: 'MobileNetV2 32 px + head', size: 32, make: () => trainedCase(tf, { arch: 'mobilenet_v2', size: 32, classes: 3, head: { pooling: 'avg', dropout: 0.2, layers: [{ units: 8 }], output: 'softmax' } }, 7, 40) },
  {
    label: 'every writable layer class', size: 9,
    make: () => {
      const zoo = layerZoo(tf);
      fillTrained(tf, zoo, 8);
      return zoo;
    },
  },
];

describe.skipIf(!keras.python)(`Keras loads the exported files (${keras.reason})`, () => {
  it.each(CASES)('$label: .keras and .h5 load in Keras and compute what tfjs computes', async (c) => {
    const model = c.make();
    try {
      const stem = path.join(folder.dir, c.label.replace(/\W+/g, '_'));
      await writeKerasArchive(tf, model, `${stem}.keras`);
      await writeKerasH5(tf, model, `${stem}.h5`);
      const values = seededValues(2 * c.size * c.size * 3, 3);
      const expected = tf.tidy(() => (model.predict(tf.tensor(values, [2, c.size, c.size, 3])) as tf.Tensor).dataSync() as Float32Array);
      const loaded = runPython<Loaded>(keras.python as string, LOAD, {
        keras: `${stem}.keras`, h5: `${stem}.h5`, input: Array.from(values), shape: [2, c.size, c.size, 3],
      });
      for (const kind of ['keras', 'h5'] as const) {
        const result = loaded[kind];
        if (!result) continue;
        expect(result.layers).toEqual(model.layers.map((l) => l.name));
        expect(maxAbsDiff(Float32Array.from(result.output), expected)).toBeLessThanOrEqual(1e-5);
      }
    } finally {
      model.dispose();
    }
  });
});
