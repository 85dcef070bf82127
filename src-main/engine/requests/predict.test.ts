import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportFormat, PreprocessingSpec } from '../../api/types/export';
import type { EngineModelSource, PredictProgress, PredictResult } from '../../api/types/predict';
import type { DatasetSnapshot, TrainResult } from '../../api/types/runs';
import type { Tf } from '../backend';
import { exportRun } from '../export/export-run';
import { writeKerasH5 } from '../export/keras2-h5';
import { exportJobOf } from '../export/test-support/export-job';
import { writeKerasArchive } from '../export/keras3-archive';
import { predictContext } from '../predict/test-support/predict-context';
import { loadCheckpoint } from '../training/checkpoint';
import { writeSeparableDataset } from '../training/test-support/separable-images';
import { smallConfig, testContext, trainTempDir } from '../training/test-support/train-fixtures';
import { runInspectModel } from './inspect-model';
import { runPredict } from './predict';
import { runTrain } from './train';

const tmp = trainTempDir();
const config = smallConfig({ base: { arch: 'mobilenet_v2', weights: 'bundled', inputSize: 32 }, epochs: 2, head: { pooling: 'avg', layers: [{ units: 8, dropout: 0.1 }] } });
const runDir = () => path.join(tmp.dir, 'run');
let dataset: DatasetSnapshot;
let trained: TrainResult;
const exported: Partial<Record<'tfjs' | 'onnx' | 'keras' | 'h5', string>> = {};

const exportJob = (format: ExportFormat, outDir: string) => exportJobOf({ runDir: runDir(), config, dataset, trained }, format, outDir);

/** A Keras file of the run's best checkpoint in a folder with the tfjs export's labels.json and preprocessing.json. */
async function kerasExport(format: 'keras' | 'h5'): Promise<string> {
  const dir = path.join(tmp.dir, `out-${format}`);
  fs.mkdirSync(dir, { recursive: true });
  const { model } = await loadCheckpoint(tf as unknown as Tf, runDir(), 'best');
  try {
    const file = path.join(dir, format === 'keras' ? 'model.keras' : 'model.h5');
    await (format === 'keras' ? writeKerasArchive : writeKerasH5)(tf as unknown as Tf, model, file);
  } finally {
    model.dispose();
  }
  for (const name of ['labels.json', 'preprocessing.json']) fs.copyFileSync(path.join(exported.tfjs!, name), path.join(dir, name));
  return dir;
}

const noop = async () => undefined;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dataset = await writeSeparableDataset(`${tmp.dir}/images`, { classes: 2, perClass: 10, size: 40 });
  trained = await runTrain(tmp.params('run', config, dataset), testContext());
  for (const format of ['tfjs', 'onnx'] as const) exported[format] = (await exportRun(tf as unknown as Tf, exportJob(format, path.join(tmp.dir, `out-${format}`)), null, noop)).dir;
  exported.keras = await kerasExport('keras');
  exported.h5 = await kerasExport('h5');
}, 180_000);
afterAll(() => tmp.cleanup());

const heldOut = () => dataset.images.filter((i) => i.split !== 'train');

/** The probability rows the run's own evaluation stored, by image path. */
function evaluated(): Map<string, number[]> {
  const byId = new Map(dataset.images.map((i) => [i.imageId, i.path]));
  const rows = new Map<string, number[]>();
  for (const evaluation of trained.evaluations) for (const p of evaluation.predictions) rows.set(byId.get(p.imageId)!, p.probabilities);
  return rows;
}

async function predict(model: EngineModelSource, images: string[], options: { runtime?: 'auto' | 'onnx' | 'tfjs'; events?: unknown[]; cancelAfter?: number } = {}): Promise<PredictResult> {
  return runPredict({ model, images, top: 2, runtime: options.runtime, batchSize: 4 }, predictContext<'predict'>(options.events, { cancelAfter: options.cancelAfter }));
}

const checkpointSource = (): EngineModelSource => ({ kind: 'checkpoint', runDir: runDir(), checkpoint: 'best', config, classes: dataset.classes });

describe('predict', () => {
  it.each([
    ['the checkpoint', 'checkpoint', 'auto'],
    ['the checkpoint on tfjs', 'checkpoint', 'tfjs'],
    ['the TF.js export', 'tfjs', 'auto'],
    ['the TF.js export on tfjs', 'tfjs', 'tfjs'],
    ['the ONNX export', 'onnx', 'auto'],
    ['the .keras file', 'keras', 'auto'],
    ['the .h5 file', 'h5', 'tfjs'],
  ] as const)('%s gives the run evaluation\'s top class and probabilities within 1e-4', async (_label, source, runtime) => {
    const reference = evaluated();
    const images = heldOut().map((i) => i.path);
    const model: EngineModelSource = source === 'checkpoint' ? checkpointSource() : { kind: 'file', path: exported[source]! };
    const result = await predict(model, images, { runtime });
    expect(result.runtime).toBe(runtime === 'tfjs' ? 'tfjs' : 'onnx');
    expect(result.unreadable).toEqual([]);
    expect(result.model).toMatchObject({ format: source, classes: ['class0', 'class1'], assumptions: [] });
    expect(result.model.preprocessing).toMatchObject({ mode: 'unit', width: 32, height: 32 });
    expect(result.results.map((r) => r.path)).toEqual(images);
    let maxDiff = 0;
    for (const row of result.results) {
      const expected = reference.get(row.path)!;
      const top = expected.indexOf(Math.max(...expected));
      expect(row.top[0]!.classIndex).toBe(top);
      expect(row.top[0]!.label).toBe(`class${top}`);
      row.probabilities.forEach((p, c) => (maxDiff = Math.max(maxDiff, Math.abs(p - expected[c]!))));
      expect(row.margin).toBeCloseTo(Math.abs(row.probabilities[0]! - row.probabilities[1]!), 6);
      const entropy = -row.probabilities.reduce((h, p) => h + (p > 0 ? p * Math.log(p) : 0), 0);
      expect(row.entropy).toBeCloseTo(entropy, 5);
    }
    expect(maxDiff).toBeLessThanOrEqual(1e-4);
  }, 60_000);

  it('lists unreadable files with their reason, keeps the order of the others, and reports progress', async () => {
    const text = path.join(tmp.dir, 'notes.jpg');
    fs.writeFileSync(text, 'not a picture');
    const empty = path.join(tmp.dir, 'empty.png');
    fs.writeFileSync(empty, '');
    const good = heldOut().map((i) => i.path);
    const images = [good[0]!, text, path.join(tmp.dir, 'gone.png'), good[1]!, empty, good[2]!];
    const events: unknown[] = [];
    const result = await predict({ kind: 'file', path: exported.onnx! }, images, { events });
    expect(result.results.map((r) => r.path)).toEqual([good[0], good[1], good[2]]);
    expect(result.unreadable).toEqual([
      { path: text, reason: expect.stringContaining('not an image') },
      { path: path.join(tmp.dir, 'gone.png'), reason: 'file not found' },
      // Worded as the import words it (base/image-failure).
      { path: empty, reason: 'empty file (0 bytes)' },
    ]);
    const progress = events as PredictProgress[];
    expect(progress[0]).toMatchObject({ phase: 'loading', done: 0, total: 6 });
    expect(progress.at(-1)).toMatchObject({ phase: 'images', done: 6, total: 6 });
    expect(result.imagesPerSecond).toBeGreaterThan(0);
  }, 60_000);

  it('stops between batches when cancelled', async () => {
    const images = dataset.images.map((i) => i.path);
    await expect(predict({ kind: 'file', path: exported.tfjs! }, images, { cancelAfter: 1 })).rejects.toMatchObject({ code: 'cancelled' });
  }, 60_000);

  it('refuses to run an ONNX file on tfjs, and a folder with no model', async () => {
    await expect(predict({ kind: 'file', path: exported.onnx! }, [], { runtime: 'tfjs' })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('ONNX Runtime only') });
    await expect(predict({ kind: 'file', path: path.join(tmp.dir, 'images') }, [])).rejects.toMatchObject({ message: expect.stringContaining('holds no model') });
  });
});

describe('predict with a model Graft did not describe', () => {
  it('numbers the classes and assumes the recognised trunk\'s preprocessing, saying so; given labels and preprocessing are used as they are', async () => {
    const bare = path.join(tmp.dir, 'bare');
    fs.mkdirSync(bare);
    fs.copyFileSync(path.join(exported.h5!, 'model.h5'), path.join(bare, 'classifier.h5'));
    const file = path.join(bare, 'classifier.h5');
    const info = await runInspectModel({ path: file }, predictContext<'inspectModel'>());
    expect(info.classes).toEqual(['class_0', 'class_1']);
    expect(info.preprocessing).toMatchObject({ mode: 'tf', width: 32, height: 32 });
    expect(info.assumptions.join(' ')).toMatch(/no labels\.json.*class_0/);
    expect(info.assumptions.join(' ')).toMatch(/MobileNetV2.*tf mode/);

    const spec = JSON.parse(fs.readFileSync(path.join(exported.tfjs!, 'preprocessing.json'), 'utf8')) as PreprocessingSpec;
    const images = heldOut().map((i) => i.path);
    const given = await predict({ kind: 'file', path: file, classes: ['red', 'blue'], preprocessing: spec }, images);
    expect(given.model.assumptions).toEqual([]);
    const byMode = await predict({ kind: 'file', path: file, classes: ['red', 'blue'], preprocessMode: 'unit' }, images);
    expect(byMode.model.preprocessing).toEqual(spec);
    const reference = evaluated();
    for (const row of [...given.results, ...byMode.results]) {
      expect(row.top[0]!.label).toBe(['red', 'blue'][row.top[0]!.classIndex]);
      row.probabilities.forEach((p, c) => expect(Math.abs(p - reference.get(row.path)![c]!)).toBeLessThanOrEqual(1e-4));
    }
  }, 60_000);

  it('runs a Keras model of its own architecture at the size its preprocessing names, softmaxes logits, and refuses one without preprocessing', async () => {
    const input = tf.input({ shape: [null, null, 3], name: 'image' });
    let x = tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', name: 'features' }).apply(input) as tf.SymbolicTensor;
    x = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as tf.SymbolicTensor;
    const logits = tf.layers.dense({ units: 3, name: 'scores' }).apply(x) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: logits, name: 'tiny' });
    const dir = path.join(tmp.dir, 'foreign');
    fs.mkdirSync(dir);
    const file = path.join(dir, 'tiny.keras');
    await writeKerasArchive(tf as unknown as Tf, model, file);
    await expect(predict({ kind: 'file', path: file }, [])).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('preprocessing.json') });

    const spec: PreprocessingSpec = { width: 24, height: 20, resize: 'stretch', interpolation: 'bilinear', exifOrientation: true, alpha: 'drop', channelOrder: 'BGR', layout: 'NHWC', dtype: 'float32', mode: 'caffe', scale: 1, offset: 0, mean: [103.939, 116.779, 123.68], std: [1, 1, 1] };
    const image = heldOut()[0]!.path;
    const result = await predict({ kind: 'file', path: file, classes: ['a', 'b', 'c'], preprocessing: spec }, [image]);
    expect(result.model.assumptions).toEqual([expect.stringContaining('applied a softmax')]);
    const { loadImageRgb } = await import('../inference/load-image');
    const { applyPreprocessing } = await import('../export/preprocessing-spec');
    const pixels = applyPreprocessing(await loadImageRgb(image, { width: 24, height: 20 }), spec);
    const expected = tf.tidy(() => (tf.softmax(model.predict(tf.tensor(pixels, [1, 20, 24, 3])) as tf.Tensor).dataSync() as Float32Array));
    result.results[0]!.probabilities.forEach((p, c) => expect(Math.abs(p - expected[c]!)).toBeLessThanOrEqual(1e-5));
    model.dispose();
  }, 60_000);

  it('refuses labels that do not match the model\'s outputs', async () => {
    await expect(predict({ kind: 'file', path: exported.tfjs!, classes: ['only one'] }, [])).rejects.toMatchObject({ message: expect.stringContaining('2 probabilities per image') });
  });
});
