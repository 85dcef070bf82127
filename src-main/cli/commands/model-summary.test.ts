import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ModelSummary } from '../../api/types/models';
import { forkSpawner } from '../../engine/host/engine-process';
import type { CliIo } from '../command';
import { runCli } from '../run-cli';
import { createModelSummaryCommand } from './model-summary';

const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'engine', 'worker', 'engine-main.ts');

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

/** The real engine on the cpu backend, counting spawns so tests see when one was started. */
function countingSpawner(): { spawner: () => ReturnType<typeof forkSpawner>; spawns: () => number } {
  let spawns = 0;
  return {
    spawns: () => spawns,
    spawner: () => {
      spawns++;
      return forkSpawner(entry, { execArgv: ['--import', 'tsx'], env: { ...process.env, GRAFT_BACKEND: 'cpu' } });
    },
  };
}

describe('graft model-summary', () => {
  it('builds MobileNetV2 without top in the engine and reports counts, layers and blocks', async () => {
    const io = capture();
    const command = createModelSummaryCommand(countingSpawner().spawner);
    expect(await runCli(['model-summary', 'mobilenet_v2', '--no-top', '--pooling', 'avg', '--input-size', '96', '--json'], [command], io)).toBe(0);
    const summary = JSON.parse(io.stdout.join('')) as ModelSummary;
    expect(summary).toMatchObject({
      arch: 'mobilenet_v2',
      inputShape: [96, 96, 3],
      includeTop: false,
      pooling: 'avg',
      totalParams: 2_257_984,
      trainableParams: 2_223_872,
      nonTrainableParams: 34_112,
      layers: 155,
    });
    expect(summary.blocks.map((b) => b.name)).toEqual(['stem', ...Array.from({ length: 16 }, (_, i) => `block_${i + 1}`), 'Conv_1', 'head']);
    expect(summary.blocks.reduce((n, b) => n + b.layers, 0)).toBe(155);
    expect(summary.layerTable).toHaveLength(155);
    expect(summary.layerTable[1]).toEqual({ name: 'Conv1', className: 'Conv2D', outputShape: [null, 48, 48, 32], params: 864, trainable: true, block: 'stem', inbound: ['input_layer'] });
    expect(summary.layerTable.at(-1)).toMatchObject({ name: 'global_average_pooling2d', className: 'GlobalAveragePooling2D', outputShape: [null, 1280], block: 'head' });
    expect(io.stderr.join('')).not.toMatch(/looks like you are running TensorFlow/i);
  });

  it('lists ResNet50 layer by layer as Keras does: 177 layers whose parameters sum to 25,636,712', async () => {
    const io = capture();
    const command = createModelSummaryCommand(countingSpawner().spawner);
    expect(await runCli(['model-summary', 'resnet50', '--layers', '--json'], [command], io)).toBe(0);
    const summary = JSON.parse(io.stdout.join('')) as ModelSummary;
    expect(summary.layerTable).toHaveLength(177);
    expect(summary.layerTable.reduce((n, l) => n + l.params, 0)).toBe(25_636_712);
    expect(summary.layerTable.find((l) => l.name === 'conv2_block1_add')).toMatchObject({ className: 'Add', inbound: ['conv2_block1_0_bn', 'conv2_block1_3_bn'], params: 0 });
    expect(summary.layerTable.find((l) => l.name === 'predictions')).toMatchObject({ params: 2_049_000, outputShape: [null, 1000], block: 'head' });

    const text = capture();
    expect(await runCli(['model-summary', 'resnet50', '--layers'], [command], text)).toBe(0);
    const out = text.stdout.join('\n');
    expect(out).toContain('Model: "resnet50"');
    expect(out).toMatch(/Layer \(type\)\s+Output Shape\s+Param #\s+Connected to/);
    expect(out).toMatch(/ conv1_conv \(Conv2D\)\s+\(None, 112, 112, 64\)\s+9,472\s+conv1_pad\[0\]\[0\]/);
    expect(out).toMatch(/ conv2_block1_add \(Add\)\s+\(None, 56, 56, 256\)\s+0\s+conv2_block1_0_bn\[0\]\[0\]\n\s+conv2_block1_3_bn\[0\]\[0\]/);
    expect(out).toContain('Total params: 25,636,712');
    expect(out).toContain('Non-trainable params: 53,120');
  }, 120_000);

  it('prints a readable summary with the classes given', async () => {
    const io = capture();
    const command = createModelSummaryCommand(countingSpawner().spawner);
    expect(await runCli(['model-summary', 'mobilenet_v2', '--classes', '10', '--input-size', '64'], [command], io)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toContain('MobileNetV2 (alpha 1.0), input 64×64×3, with its classifier (10 classes)');
    expect(text).toContain(`Parameters: ${(2_257_984 + 1281 * 10).toLocaleString('en-US')} total`);
    expect(text).toMatch(/\n {2}head\s+2 layers/);
  });

  it.each([
    [['model-summary'], /Missing architecture/],
    [['model-summary', 'alexnet'], /Unknown architecture "alexnet"/],
    [['model-summary', 'vgg16', '--pooling', 'mean'], /--pooling must be one of "avg", "max"; got "mean"/],
    [['model-summary', 'vgg16', '--input-size', 'big'], /--input-size must be a whole number from 1 to 4096; got "big"/],
    [['model-summary', 'vgg16', '--no-top', '--classes', '3'], /--classes sets the size of the classifier, which --no-top leaves out/],
    [['model-summary', 'vgg16', '--pooling', 'avg'], /--pooling applies only with --no-top/],
  ])('refuses %j before starting an engine, with exit code 2 and a one-line reason', async (argv, message) => {
    const io = capture();
    const counter = countingSpawner();
    expect(await runCli([...argv, '--json'], [createModelSummaryCommand(counter.spawner)], io)).toBe(2);
    expect(counter.spawns()).toBe(0);
    expect(JSON.parse(io.stdout.join(''))).toEqual({ error: { code: 'bad-request', message: expect.stringMatching(message) } });
    expect(io.stderr.join('')).toMatch(message);
  });

  it('passes on the engine\'s refusal of a too-small input', async () => {
    const io = capture();
    expect(await runCli(['model-summary', 'inception_v3', '--input-size', '64', '--json'], [createModelSummaryCommand(countingSpawner().spawner)], io)).toBe(2);
    expect(JSON.parse(io.stdout.join(''))).toEqual({ error: { code: 'bad-request', message: expect.stringMatching(/at least 75×75/) } });
  });
});
