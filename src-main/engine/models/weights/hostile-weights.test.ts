/**
 * Hostile weight files, each loaded in a child process under a memory and time bound: a model
 * file must not reach outside itself, hang the engine on a FIFO, or inflate past what the
 * model's weights can take.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBounded, type BoundedOutcome } from '../../../base/test-support/bounded-child';
import { findH5py, NO_H5PY, writeKeras2H5WithStorage } from './test-support/h5py-writer';
import { writeKeras2H5 } from './test-support/keras-writers';
import { fillSeeded, keras2Layers, saveTfjsFolder, tinyCnn } from './test-support/tiny-models';
import { writeZip } from './test-support/zip-writer';

const scenarios = path.join(path.dirname(fileURLToPath(import.meta.url)), 'test-support', 'hostile-weights.ts');
// A child with tfjs loaded sits near 170 MB, one that has started h5wasm near 770 MB (its wasm
// heap); the attacks below reach gigabytes or never end.
const bounds = { rssMb: 700, timeoutMs: 30_000 };
const h5Bounds = { rssMb: 1200, timeoutMs: 30_000 };
const python = findH5py();

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(path.join(os.tmpdir(), 'graft-hostile-weights-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fifo(file: string): string {
  expect(spawnSync('mkfifo', [file]).status).toBe(0);
  return file;
}

function load(file: string): Promise<BoundedOutcome> {
  return runBounded(scenarios, 'loadIntoTinyCnn', [file], bounds);
}

function refused(message: RegExp, code = 'bad-request') {
  return { status: 'threw', error: { code, message: expect.stringMatching(message) } };
}

/** A valid tfjs folder for the tiny CNN, then its manifest's shard list replaced. */
async function tfjsFolder(name: string, shards?: string[]): Promise<string> {
  const folder = path.join(dir, name, 'model');
  await saveTfjsFolder(tf, tinyCnn(tf), folder);
  if (shards) {
    const json = JSON.parse(readFileSync(path.join(folder, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
    json.weightsManifest[0]!.paths = shards;
    writeFileSync(path.join(folder, 'model.json'), JSON.stringify(json));
  }
  return folder;
}

describe('tfjs model.json shards stay inside the model folder', () => {
  it('loads an honest model (the scenario itself works)', async () => {
    expect(await load(await tfjsFolder('honest'))).toMatchObject({ status: 'returned', value: expect.arrayContaining(['block1_conv1']) });
  }, 60_000);

  it('refuses ../ paths, a symlink out of the folder, and /etc/passwd', async () => {
    const escape = await tfjsFolder('escape', ['../outside-shard.bin']);
    writeFileSync(path.join(escape, '..', 'outside-shard.bin'), readFileSync(path.join(escape, 'group1-shard1of1.bin')));
    expect(await load(escape)).toMatchObject(refused(/outside its folder \(\.\.\/outside-shard\.bin\)/));

    const linked = await tfjsFolder('linked', ['inside.bin']);
    symlinkSync(path.join(escape, '..', 'outside-shard.bin'), path.join(linked, 'inside.bin'));
    expect(await load(linked)).toMatchObject(refused(/outside its folder \(inside\.bin\)/));

    const passwd = await tfjsFolder('passwd', ['../../../../../../../../etc/passwd']);
    const outcome = await load(passwd);
    expect(outcome).toMatchObject(refused(/outside its folder/));
    // Not even its length may leak.
    expect(JSON.stringify(outcome)).not.toMatch(/\d+ bytes/);
  }, 60_000);

  it('refuses a FIFO and /dev/zero as shards without reading them', async () => {
    const piped = await tfjsFolder('fifo', ['pipe.bin']);
    fifo(path.join(piped, 'pipe.bin'));
    expect(await load(piped)).toMatchObject(refused(/named pipe \(FIFO\), not a regular file/));

    const zero = await tfjsFolder('zero', ['../../../../../../../../dev/zero']);
    expect(await load(zero)).toMatchObject(refused(/outside its folder/));
  }, 60_000);

  it('refuses shards whose size disagrees with the manifest, and manifests larger than the model can take', async () => {
    const padded = await tfjsFolder('padded');
    writeFileSync(path.join(padded, 'group1-shard1of1.bin'), Buffer.alloc(4096), { flag: 'a' });
    expect(await load(padded)).toMatchObject(refused(/more than the \d+ its manifest lists/));

    const huge = await tfjsFolder('huge');
    const json = JSON.parse(readFileSync(path.join(huge, 'model.json'), 'utf8')) as { weightsManifest: { weights: { shape: number[] }[] }[] };
    json.weightsManifest[0]!.weights[0]!.shape = [1024, 1024, 1024];
    writeFileSync(path.join(huge, 'model.json'), JSON.stringify(json));
    truncateSync(path.join(huge, 'group1-shard1of1.bin'), 4 * 1024 ** 3);
    const outcome = await load(huge);
    expect(outcome).toMatchObject(refused(/lists 4096 MB of weights, more than this model can take/));
    expect(outcome.ms).toBeLessThan(10_000);
  }, 60_000);
});

describe('Keras .h5 files keep their weights inside', () => {
  const layer = 'block1_conv1';
  const kernel = { name: `${layer}/kernel:0`, storage: { kind: 'inline' as const, values: Array.from({ length: 4 }, (_, i) => i) } };

  it.skipIf(!python)(`refuses external raw storage (a planted bias, a FIFO) with the file it names ${python ? '' : NO_H5PY}`, async () => {
    const folder = path.join(dir, 'external');
    mkdirSync(folder);
    writeFileSync(path.join(dir, 'outside-bias.bin'), Buffer.from(new Float32Array([1000, 1000, 1000, 1000]).buffer));
    const planted = path.join(folder, 'planted.h5');
    writeKeras2H5WithStorage(python!, planted, layer, [
      kernel,
      { name: `${layer}/bias:0`, storage: { kind: 'external', file: '../outside-bias.bin', count: 4 } },
    ]);
    expect(await runBounded(scenarios, 'readAllH5Weights', [planted], h5Bounds)).toMatchObject(
      refused(/Weight "block1_conv1\/bias:0" is stored outside the weights file \(in .*outside-bias\.bin\)/),
    );

    fifo(path.join(folder, 'pipe.bin'));
    const piped = path.join(folder, 'piped.h5');
    writeKeras2H5WithStorage(python!, piped, layer, [kernel, { name: `${layer}/bias:0`, storage: { kind: 'external', file: 'pipe.bin', count: 4 } }]);
    expect(await runBounded(scenarios, 'readAllH5Weights', [piped], h5Bounds)).toMatchObject(refused(/stored outside the weights file \(in .*pipe\.bin\)/));
  }, 60_000);

  it.skipIf(!python)(`refuses virtual datasets ${python ? '' : NO_H5PY}`, async () => {
    const file = path.join(dir, 'virtual.h5');
    writeKeras2H5WithStorage(python!, file, layer, [kernel, { name: `${layer}/bias:0`, storage: { kind: 'virtual', sourceFile: '/etc/passwd', count: 4 } }]);
    expect(await runBounded(scenarios, 'readAllH5Weights', [file], h5Bounds)).toMatchObject(
      refused(/Weight "block1_conv1\/bias:0" is a virtual dataset assembled from other files \(\/etc\/passwd\)/),
    );
  }, 60_000);

  it('refuses a FIFO named as the weights file, and a file larger than the model can take, unopened', async () => {
    expect(await load(fifo(path.join(dir, 'weights.h5')))).toMatchObject(refused(/named pipe \(FIFO\), not a regular file/));
    const source = tinyCnn(tf);
    fillSeeded(tf, source, 5);
    const big = path.join(dir, 'big.h5');
    await writeKeras2H5(big, keras2Layers(source));
    truncateSync(big, 200 * 1024 * 1024);
    expect(await load(big)).toMatchObject(refused(/larger than \d+ MB, more than the weights of this model/));
  }, 60_000);
});

describe('.keras archives inflate only what they must, within bounds', () => {
  const config = Buffer.from(JSON.stringify({ class_name: 'Functional', config: { layers: [] } }));
  const gigabyte = 1024 ** 3;

  it('refuses a weights entry whose header declares more than the model can take, without inflating it', async () => {
    const file = path.join(dir, 'bomb.keras');
    await writeZip(file, [{ name: 'config.json', data: config }, { name: 'model.weights.h5', zeros: gigabyte }]);
    const outcome = await load(file);
    expect(outcome).toMatchObject(refused(/model\.weights\.h5 inside bomb\.keras inflates to more than \d+ MB/));
    expect(outcome.peakRssMb).toBeLessThan(bounds.rssMb);
  }, 60_000);

  it('stops a weights entry that inflates past what its header declares', async () => {
    const file = path.join(dir, 'liar.keras');
    await writeZip(file, [{ name: 'config.json', data: config }, { name: 'model.weights.h5', zeros: gigabyte, declaredSize: 1000 }]);
    expect(await load(file)).toMatchObject(refused(/inflates to more than the 1000 bytes its header declares/, 'io'));
  }, 60_000);

  it('never inflates entries it does not need, whatever they are called', async () => {
    const file = path.join(dir, 'extras.keras');
    await writeZip(file, [
      { name: 'config.json', data: config },
      ...[1, 2, 3].map((i) => ({ name: `model.weights.h5.${i}`, zeros: gigabyte })),
      { name: 'assets/huge.bin', zeros: gigabyte },
    ]);
    const outcome = await load(file);
    expect(outcome).toMatchObject(refused(/stores its weights as model\.weights\.h5\.1; only model\.weights\.h5 is supported/));
    expect(outcome.peakRssMb).toBeLessThan(bounds.rssMb);
  }, 60_000);

  it('refuses a FIFO named as the archive', async () => {
    expect(await load(fifo(path.join(dir, 'pipe.keras')))).toMatchObject(refused(/named pipe \(FIFO\)/));
  }, 60_000);
});
