import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeColourImages, writeNotAnImage } from '../../engine/inference/test-support/test-images';
import { nodeEngineSpawner } from '../app-paths';
import type { CliIo } from '../command';
import { runCli } from '../run-cli';
import { createClassifyCommand, type ClassifyReport } from './classify';

const command = createClassifyCommand(() => nodeEngineSpawner({ ...process.env, GRAFT_BACKEND: '@tensorflow/tfjs-backend-wasm' }));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-classify-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

describe('graft classify', () => {
  it('prints the top classes per image, and an error line for an unreadable one', async () => {
    const [image] = await writeColourImages(path.join(dir, 'images'), 1);
    const broken = writeNotAnImage(path.join(dir, 'images', 'broken.jpg'));
    const io = capture();
    const argv = ['classify', image!, broken, '--base', 'mobilenet_v2', '--weights', 'none', '--top', '2', '--input-size', '96', '--json'];
    expect(await runCli(argv, [command], io)).toBe(0);
    const report = JSON.parse(io.stdout.join('')) as ClassifyReport;
    expect(report).toMatchObject({ arch: 'mobilenet_v2', weights: 'none', inputSize: 96, backend: expect.any(String), runtime: 'onnx', fallbackReason: null });
    expect(report.results).toEqual([
      { path: image, predictions: [expect.objectContaining({ classId: expect.stringMatching(/^n\d{8}$/) }), expect.anything()] },
      { path: broken, error: expect.stringMatching(/not an image/) },
    ]);
    const human = capture();
    expect(await runCli(argv.slice(0, -1), [command], human)).toBe(0);
    expect(human.stdout.join('\n')).toMatch(new RegExp(`${path.basename(image!)}\\n +\\d+\\.\\d% +\\S+ \\(n\\d{8}\\)`));
    expect(human.stdout.join('\n')).toContain(`${broken}: not an image`);
    expect(human.stdout.join('\n')).toContain('Runtime: ONNX Runtime (onnxruntime-node 1.30.0, cpu, 1 thread, off the main thread)');
    const forced = capture();
    expect(await runCli([...argv.slice(0, -1), '--runtime', 'tfjs'], [command], forced)).toBe(0);
    expect(forced.stdout.join('\n')).toContain('Runtime: TensorFlow.js (wasm backend)');
  });

  it('explains that the bundled weights cannot name ImageNet classes', async () => {
    const [image] = await writeColourImages(path.join(dir, 'bundled'), 1);
    const io = capture();
    expect(await runCli(['classify', image!, '--base', 'mobilenet_v2', '--weights', 'bundled'], [command], io)).toBe(2);
    expect(io.stderr.at(-1)).toMatch(/^graft: The bundled MobileNetV2 \(alpha 1\.0\) weights have no ImageNet classifier/);
  });

  it('offline, names the weights file, its official URL, the cache folder and --weights, with the network error', async () => {
    const [image] = await writeColourImages(path.join(dir, 'offline'), 1);
    // A port that was just free: connecting to it is refused, as on a machine without network.
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const cacheDir = path.join(dir, 'weights cache');
    const offline = createClassifyCommand(() => nodeEngineSpawner({ ...process.env, GRAFT_BACKEND: 'cpu' }), {
      env: { GRAFT_CACHE_DIR: cacheDir },
      weightsBaseUrl: `http://127.0.0.1:${port}/`,
    });
    const file = 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_96.h5';
    const io = capture();
    expect(await runCli(['classify', image!, '--base', 'mobilenet_v2', '--input-size', '96'], [offline], io)).toBe(1);
    // Progress lines come first; the failure is the last five.
    expect(io.stderr.slice(-5)).toEqual([
      `graft: Could not download ${file} from http://127.0.0.1:${port}/mobilenet_v2/${file} (connect ECONNREFUSED 127.0.0.1:${port}) — connect to the internet or choose a weights file.`,
      `  The ImageNet weights of MobileNetV2 (alpha 1.0) are the file ${file}. Without network here:`,
      `  1. download https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/${file} on a machine that has internet access;`,
      `  2. copy it into ${cacheDir}/ (the weights cache: $GRAFT_CACHE_DIR, else $XDG_CACHE_HOME/graft/models, else ~/.cache/graft/models), where every graft command finds it,`,
      `     or give it to this command with --weights /path/to/${file}`,
    ]);
    const json = capture();
    expect(await runCli(['classify', image!, '--base', 'vgg16', '--json'], [offline], json)).toBe(1);
    const { error } = JSON.parse(json.stdout.join('')) as { error: { code: string; message: string; help: string[] } };
    expect(error.code).toBe('io');
    expect(error.message).toContain('(connect ECONNREFUSED');
    expect(error.help.join('\n')).toContain('https://storage.googleapis.com/tensorflow/keras-applications/vgg16/vgg16_weights_tf_dim_ordering_tf_kernels.h5');
    expect(fs.readdirSync(cacheDir).filter((f) => f.endsWith('.h5'))).toEqual([]);
  });

  it.each([
    [['classify', '--base', 'vgg16'], /Give at least one image/],
    [['classify', 'x.jpg'], /Say which model to use with --base/],
    [['classify', 'x.jpg', '--base', 'vgg16', '--top', '0'], /--top must be a whole number from 1 to 1000; got "0"/],
    [['classify', 'x.jpg', '--base', 'vgg16', '--runtime', 'gpu'], /--runtime must be one of "auto", "onnx", "tfjs"; got "gpu"/],
    [['classify', 'x.jpg', '--base', 'vgg16', '--threads', '0'], /--threads must be a whole number from 1 to 64; got "0"/],
  ])('rejects %j with a one-line reason', async (argv, message) => {
    const io = capture();
    expect(await runCli([...argv, '--json'], [command], io)).toBe(2);
    expect(JSON.parse(io.stdout.join(''))).toEqual({ error: { code: 'bad-request', message: expect.stringMatching(message) } });
  });
});
