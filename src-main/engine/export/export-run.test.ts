import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportFormat, PreprocessingSpec } from '../../api/types/export';
import type { DatasetSnapshot, TrainResult } from '../../api/types/runs';
import type { Tf } from '../backend';
import { runTrain } from '../requests/train';
import { writeSeparableDataset } from '../training/test-support/separable-images';
import { smallConfig, testContext, trainTempDir } from '../training/test-support/train-fixtures';
import { EXPORT_MARKER, exportRun } from './export-run';
import { writeKerasH5 } from './keras2-h5';
import { exportJobOf } from './test-support/export-job';
import { writeKerasArchive } from './keras3-archive';

const tmp = trainTempDir();
let dataset: DatasetSnapshot;
let trained: TrainResult;
const config = smallConfig({ base: { arch: 'mobilenet_v2', weights: 'bundled', inputSize: 32 }, epochs: 2, head: { pooling: 'avg', layers: [{ units: 8, dropout: 0.1 }] } });
const runDir = () => path.join(tmp.dir, 'run');

beforeAll(async () => {
  await tf.setBackend('cpu');
  dataset = await writeSeparableDataset(`${tmp.dir}/images`, { classes: 2, perClass: 10, size: 40 });
  trained = await runTrain(tmp.params('run', config, dataset), testContext());
}, 120_000);
afterAll(() => tmp.cleanup());

const job = (format: ExportFormat, outDir = path.join(tmp.dir, `out-${format}`)) => exportJobOf({ runDir: runDir(), config, dataset, trained }, format, outDir);

const noop = async () => undefined;
const keras = { keras: writeKerasArchive, h5: writeKerasH5 };
const MODEL_FILES = { tfjs: ['model.json', 'weights.bin'], onnx: ['model.onnx'], keras: ['model.keras'], h5: ['model.h5'] };

describe('exportRun', () => {
  it.each(['tfjs', 'onnx', 'keras', 'h5'] as const)('writes %s with labels, preprocessing, a model card and a report, and checks it reads back the same', async (format) => {
    const result = await exportRun(tf as unknown as Tf, job(format), keras, noop);
    expect(result.files).toEqual(
      expect.arrayContaining(['labels.json', 'preprocessing.json', 'README.md', 'report.html', EXPORT_MARKER, ...MODEL_FILES[format]]),
    );
    expect(result.parity).toMatchObject({ passed: true, images: 4 });
    expect(result.parity!.maxAbsDiff).toBeLessThanOrEqual(format === 'onnx' ? 1e-4 : 1e-5);
    const dir = result.dir;
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'labels.json'), 'utf8'))).toEqual({ classes: ['class0', 'class1'] });
    const spec = JSON.parse(fs.readFileSync(path.join(dir, 'preprocessing.json'), 'utf8')) as PreprocessingSpec;
    expect(spec).toMatchObject({ width: 32, height: 32, mode: 'unit', channelOrder: 'RGB', resize: 'stretch' });
    const card = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    expect(card).toContain('# Red or blue');
    expect(card).toContain('| class0 | 6 | 2 | 2 |');
    expect(card).toMatch(/max \|Δ\| of any class probability .* passed/);
    const report = fs.readFileSync(path.join(dir, 'report.html'), 'utf8');
    expect(report).toContain('<svg');
    expect(report).not.toMatch(/(src|href)="https?:/);
    expect(fs.readdirSync(tmp.dir).some((f) => f.includes('.partial'))).toBe(false);
    if (format === 'tfjs') {
      // TensorFlow.js itself loads it, as a browser or Node program would.
      const modelJson = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as { modelTopology: object; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
      const weights = fs.readFileSync(path.join(dir, modelJson.weightsManifest[0]!.paths[0]!));
      const model = await tf.loadLayersModel(
        tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0]!.weights, weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer }),
      );
      expect(model.outputs[0]!.shape).toEqual([null, 2]);
      model.dispose();
    }
  }, 60_000);

  it('replaces an earlier export, refuses a folder that is not one, and leaves nothing when it fails', async () => {
    const out = path.join(tmp.dir, 'again');
    await exportRun(tf as unknown as Tf, job('tfjs', out), null, noop);
    await exportRun(tf as unknown as Tf, job('onnx', out), null, noop);
    expect(fs.existsSync(path.join(out, 'model.onnx'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'model.json'))).toBe(false);

    const foreign = path.join(tmp.dir, 'photos-folder');
    fs.mkdirSync(foreign);
    fs.writeFileSync(path.join(foreign, 'holiday.jpg'), 'x');
    await expect(exportRun(tf as unknown as Tf, job('tfjs', foreign), null, noop)).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('not an earlier Graft export') });
    expect(fs.readdirSync(foreign)).toEqual(['holiday.jpg']);

    const broken = path.join(tmp.dir, 'broken');
    const cancelled = async () => {
      throw Object.assign(new Error('Cancelled.'), { code: 'cancelled' });
    };
    await expect(exportRun(tf as unknown as Tf, job('tfjs', broken), null, cancelled)).rejects.toThrow('Cancelled.');
    expect(fs.existsSync(broken)).toBe(false);
    expect(fs.readdirSync(tmp.dir).some((f) => f.startsWith('broken.'))).toBe(false);
  }, 60_000);

  it('writes a Keras training job whose script compiles and whose settings are the run\'s', async () => {
    const result = await exportRun(tf as unknown as Tf, job('keras-job'), null, noop);
    expect(result.parity).toBeNull();
    const jobConfig = JSON.parse(fs.readFileSync(path.join(result.dir, 'config.json'), 'utf8')) as { config: unknown; classes: string[]; keras: { application: string } };
    expect(jobConfig.config).toEqual(config);
    expect(jobConfig.classes).toEqual(dataset.classes);
    expect(jobConfig.keras.application).toBe('MobileNetV2');
    const trainImages = fs.readdirSync(path.join(result.dir, 'data', 'train', 'class0'));
    expect(trainImages).toHaveLength(6);
    const compiled = spawnSync('python3', ['-m', 'py_compile', path.join(result.dir, 'train.py')], { encoding: 'utf8' });
    expect(compiled.status, compiled.stderr).toBe(0);
  }, 60_000);
});
