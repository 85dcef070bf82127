import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { Tf } from '../../engine/backend';
import type { CliIo } from '../command';
import { runCli } from '../run-cli';
import { createModelSummaryCommand, type ModelSummary } from './model-summary';

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

/** The real tfjs on the cpu backend, counting loads so tests see when a model was built. */
function countingLoader(): { load: () => Promise<Tf>; loads: () => number } {
  let loads = 0;
  return {
    loads: () => loads,
    load: async () => {
      loads++;
      await tf.setBackend('cpu');
      return tf;
    },
  };
}

describe('graft model-summary', () => {
  it('builds MobileNetV2 without top and reports counts, layers and blocks', async () => {
    const io = capture();
    const command = createModelSummaryCommand(countingLoader().load);
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
    expect(summary.blocks.reduce((n, b) => n + b.params, 0)).toBe(2_257_984);
    expect(tf.memory().numTensors).toBe(0); // the model was disposed
  });

  it('honours --classes and prints a readable summary', async () => {
    const io = capture();
    const command = createModelSummaryCommand(countingLoader().load);
    expect(await runCli(['model-summary', 'mobilenet_v2', '--classes', '10', '--input-size', '64'], [command], io)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toContain('MobileNetV2 (alpha 1.0), input 64×64×3, with its classifier (10 classes)');
    expect(text).toContain(`Parameters: ${(2_257_984 + 1281 * 10).toLocaleString('en-US')} total`);
    expect(text).toMatch(/\n {2}head\s+2 layers/);
  });

  it.each([
    [['model-summary'], /Missing architecture/],
    [['model-summary', 'alexnet'], /Unknown architecture "alexnet"/],
    [['model-summary', 'vgg16', '--pooling', 'mean'], /--pooling must be "avg" or "max"/],
    [['model-summary', 'vgg16', '--input-size', 'big'], /--input-size must be a positive whole number/],
    [['model-summary', 'inception_v3', '--input-size', '64'], /at least 75×75/],
  ])('rejects %j with exit code 2 and a one-line reason', async (argv, message) => {
    const io = capture();
    const loader = countingLoader();
    expect(await runCli([...argv, '--json'], [createModelSummaryCommand(loader.load)], io)).toBe(2);
    expect(loader.loads()).toBe(0); // options are checked before tfjs is loaded
    expect(JSON.parse(io.stdout.join(''))).toEqual({ error: { code: 'bad-request', message: expect.stringMatching(message) } });
    expect(io.stderr.join('')).toMatch(message);
  });
});
