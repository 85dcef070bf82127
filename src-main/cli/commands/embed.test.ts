import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importFolder } from '../../core/library/import-folder';
import { createProject } from '../../core/project/project';
import { partialPathOf } from '../../engine/inference/embedding-files';
import { writeColourImages, writeNotAnImage } from '../../engine/inference/test-support/test-images';
import { nodeEngineSpawner } from '../app-paths';
import type { CliIo } from '../command';
import { runCli } from '../run-cli';
import { createEmbedCommand, type EmbedReport } from './embed';

// The wasm backend directly: skips trying the native packages, which cannot load here.
const command = createEmbedCommand(() => nodeEngineSpawner({ ...process.env, GRAFT_BACKEND: '@tensorflow/tfjs-backend-wasm' }));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-embed-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function capture(onErr?: (line: string) => void): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => (stderr.push(t), onErr?.(t)) };
}

function csvLines(file: string): string[] {
  return fs.readFileSync(file, 'utf8').trim().split('\n');
}

describe('graft embed', () => {
  it('embeds a folder walked recursively and writes FILE.npy with FILE.csv', async () => {
    const folder = path.join(dir, 'photos');
    const top = await writeColourImages(folder, 3);
    const nested = await writeColourImages(path.join(folder, 'nested', 'deeper'), 2);
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'not an image, not even looked at');
    const broken = writeNotAnImage(path.join(folder, 'broken.png'));
    const out = path.join(dir, 'out', 'photos.npy');
    const io = capture();
    const argv = ['embed', folder, '--base', 'mobilenet_v2', '--weights', 'none', '--input-size', '96', '--out', out, '--json'];
    expect(await runCli(argv, [command], io)).toBe(0);
    const report = JSON.parse(io.stdout.join('')) as EmbedReport;
    expect(report).toMatchObject({ arch: 'mobilenet_v2', weights: 'none', rows: 5, dims: 1280, out, indexOut: path.join(dir, 'out', 'photos.csv') });
    expect(report.source).toEqual({ kind: 'folder', dir: folder, images: 6 });
    expect(report.failed).toEqual([{ path: broken, reason: expect.stringMatching(/not an image/) }]);
    expect(['wasm', 'cpu', 'tensorflow']).toContain(report.backend);
    expect(report).toMatchObject({ runtime: 'onnx', runtimeDetails: 'onnxruntime-node 1.30.0, cpu, 1 thread, off the main thread', fallbackReason: null });
    expect(csvLines(report.indexOut)).toEqual(['row,path', ...[...top, ...nested].map((p, i) => `${i},${p}`)]);
    expect(fs.statSync(out).size).toBe(128 + 5 * 1280 * 4);
    expect(io.stderr).toEqual([]); // --json: no progress lines
  });

  it('embeds the images of a project, listing one that went missing since the import', async () => {
    const photos = await writeColourImages(path.join(dir, 'project-photos'), 4);
    const projectDir = path.join(dir, 'project');
    const project = createProject(projectDir);
    try {
      await importFolder(project, path.join(dir, 'project-photos'));
    } finally {
      project.dispose();
    }
    fs.rmSync(photos[2]!);
    const out = path.join(dir, 'project.npy');
    const io = capture();
    expect(await runCli(['embed', projectDir, '--base', 'mobilenet_v2', '--weights', 'bundled', '--input-size', '96', '--out', out], [command], io)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toContain(`Wrote 3 × 1280 float32 vectors to ${out}`);
    expect(text).toContain('weights: MobileNetV2 — bundled');
    expect(text).toMatch(new RegExp(`1 image could not be read[^\\n]*\\n  ${photos[2]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: file not found`));
    expect(io.stderr[0]).toMatch(/^Embedding 4 images from project /);
    expect(io.stderr.at(-1)).toMatch(/^4\/4 images \(\d+(\.\d)? images\/s\)$/);
    expect(csvLines(path.join(dir, 'project.csv')).slice(1)).toEqual([0, 1, 3].map((i, row) => `${row},${photos[i]}`));
  });

  it('runs on TensorFlow.js with --runtime tfjs, and on ONNX Runtime with the threads asked for', async () => {
    const folder = path.join(dir, 'runtime');
    await writeColourImages(folder, 2);
    const argv = ['embed', folder, '--base', 'mobilenet_v2', '--weights', 'bundled', '--input-size', '64'];
    const tfjs = capture();
    expect(await runCli([...argv, '--runtime', 'tfjs', '--out', path.join(dir, 'tfjs.npy')], [command], tfjs)).toBe(0);
    expect(tfjs.stdout.join('\n')).toMatch(/\nRuntime: TensorFlow\.js \(wasm backend\)$/);
    const onnx = capture();
    expect(await runCli([...argv, '--runtime', 'onnx', '--threads', '2', '--out', path.join(dir, 'onnx.npy'), '--json'], [command], onnx)).toBe(0);
    expect(JSON.parse(onnx.stdout.join(''))).toMatchObject({ rows: 2, runtime: 'onnx', runtimeDetails: 'onnxruntime-node 1.30.0, cpu, 2 threads, off the main thread' });
  });

  it('stops on Ctrl+C and leaves no output files', async () => {
    const folder = path.join(dir, 'many');
    const few = await writeColourImages(folder, 6);
    for (let i = 0; i < 994; i++) fs.copyFileSync(few[i % few.length]!, path.join(folder, `copy-${i}${path.extname(few[i % few.length]!)}`));
    const out = path.join(dir, 'cancelled.npy');
    const controller = new AbortController();
    const io = capture((line) => /^\d+\/1000 images/.test(line) && controller.abort());
    const argv = ['embed', folder, '--base', 'mobilenet_v2', '--weights', 'none', '--input-size', '96', '--batch-size', '2', '--out', out];
    const started = runCli(argv, [command], io, controller.signal);
    // Progress lines come at most once a second; abort on the first, or after 1.5 s anyway —
    // long before 1,000 images are through even on a fast machine.
    const timer = setTimeout(() => controller.abort(), 1500);
    expect(await started).toBe(130);
    clearTimeout(timer);
    expect(io.stdout.join('')).toContain('Cancelled');
    for (const file of [out, path.join(dir, 'cancelled.csv'), partialPathOf(out), partialPathOf(path.join(dir, 'cancelled.csv'))]) {
      expect(fs.existsSync(file), file).toBe(false);
    }
  });

  it('offline, names the ImageNet file (without the classifier), its official URL, the cache folder and --weights', async () => {
    const images = path.join(dir, 'offline');
    await writeColourImages(images, 2);
    // A port that was just free: connecting to it is refused, as on a machine without network.
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const cacheDir = path.join(dir, 'offline-cache');
    const offline = createEmbedCommand(() => nodeEngineSpawner({ ...process.env, GRAFT_BACKEND: 'cpu' }), {
      env: { GRAFT_CACHE_DIR: cacheDir },
      weightsBaseUrl: `http://127.0.0.1:${port}/`,
    });
    const out = path.join(dir, 'offline.npy');
    const io = capture();
    expect(await runCli(['embed', images, '--base', 'resnet50', '--out', out, '--json'], [offline], io)).toBe(1);
    const { error } = JSON.parse(io.stdout.join('')) as { error: { code: string; message: string; help: string[] } };
    const file = 'resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5';
    expect(error.message).toBe(
      `Could not download ${file} from http://127.0.0.1:${port}/resnet/${file} (connect ECONNREFUSED 127.0.0.1:${port}) — connect to the internet or choose a weights file.`,
    );
    expect(error.help).toEqual([
      `The ImageNet weights of ResNet50 are the file ${file}. Without network here:`,
      `1. download https://storage.googleapis.com/tensorflow/keras-applications/resnet/${file} on a machine that has internet access;`,
      `2. copy it into ${cacheDir}/ (the weights cache: $GRAFT_CACHE_DIR, else $XDG_CACHE_HOME/graft/models, else ~/.cache/graft/models), where every graft command finds it,`,
      `   or give it to this command with --weights /path/to/${file}`,
    ]);
    expect(fs.existsSync(out)).toBe(false);
  });

  it.each([
    [['embed'], /Missing the project folder or image folder/],
    [['embed', '.', '--out', 'x.npy'], /Say which model to use with --base/],
    [['embed', '.', '--base', 'alexnet', '--out', 'x.npy'], /Unknown architecture "alexnet"/],
    [['embed', '.', '--base', 'vgg16'], /--out FILE\.npy/],
    [['embed', '.', '--base', 'vgg16', '--out', 'x.bin'], /--out must name an \.npy file/],
    [['embed', '.', '--base', 'vgg16', '--out', 'x.npy', '--pooling', 'mean'], /--pooling must be one of "avg", "max"; got "mean"/],
    [['embed', '.', '--base', 'vgg16', '--out', 'x.npy', '--runtime', 'torch'], /--runtime must be one of "auto", "onnx", "tfjs"; got "torch"/],
    [['embed', '.', '--base', 'vgg16', '--out', 'x.npy', '--threads', 'two'], /--threads must be a whole number from 1 to 64; got "two"/],
    [['embed', '.', '--base', 'vgg16', '--out', 'x.npy', '--weights', '/no/such.h5'], /Weights file not found/],
    [['embed', '/no/such/folder', '--base', 'vgg16', '--out', 'x.npy'], /is not a folder/],
  ])('rejects %j with a one-line reason', async (argv, message) => {
    const io = capture();
    expect(await runCli([...argv, '--json'], [command], io)).toBe(2);
    expect(JSON.parse(io.stdout.join(''))).toEqual({ error: { code: 'bad-request', message: expect.stringMatching(message) } });
  });
});
