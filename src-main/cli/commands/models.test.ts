import { describe, expect, it } from 'vitest';
import type { CliIo } from '../command';
import { runCli } from '../run-cli';
import { modelsCommand, type ModelListEntry } from './models';

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

describe('graft models', () => {
  it('lists the four architectures with sizes, counts and weight sources as JSON', async () => {
    const io = capture();
    expect(await runCli(['models', '--json'], [modelsCommand], io)).toBe(0);
    const { models } = JSON.parse(io.stdout.join('')) as { models: ModelListEntry[] };
    expect(models.map((m) => m.arch)).toEqual(['vgg16', 'resnet50', 'inception_v3', 'mobilenet_v2']);
    expect(models[2]).toMatchObject({
      name: 'InceptionV3',
      defaultInputSize: 299,
      minInputSize: 75,
      preprocessing: 'tf',
      params: { withTop: 23_851_784, withoutTop: 21_802_784 },
      weightSources: ['imagenet (download)', 'file', 'bundled'],
    });
    expect(models[0]!.weightSources).toEqual(['imagenet (download)', 'file']);
  });

  it('prints a table for people', async () => {
    const io = capture();
    expect(await runCli(['models'], [modelsCommand], io)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/^ARCH\s+NAME/);
    expect(text).toContain('138,357,544');
    expect(text).toContain('imagenet (download), file, bundled');
  });
});
