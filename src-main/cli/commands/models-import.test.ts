import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headOnlyConfig } from '../../api/test-support/training-config';
import type { ImportedModel } from '../../api/types/predict';
import { jobResult, openAppClient } from '../app-client';
import { runCli } from '../run-cli';
import { capture, countingSpawner, labelledProject, tempDir } from '../test-support/cli-fixtures';
import { createModelsCommand } from './models';
import { parseClassMap } from './models-import';

// graft models import on the real engine (cpu backend) with a TF.js export of a tiny run of the
// same project, made through the contract as the app does.

let dir: string;
let cleanup: () => void;
let project: string;
let exported: string;
let exportedOnnx: string;
let classes: string[];

function verbs() {
  return [createModelsCommand(countingSpawner('cpu').spawner)];
}

async function graft(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = capture();
  const code = await runCli(args, verbs(), io);
  return { code, stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') };
}

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('graft-cli-models-import-'));
  project = await labelledProject(dir, { classes: 2, perClass: 6, size: 32 });
  const client = openAppClient({ spawner: countingSpawner('cpu').spawner(), projectDir: project, io: capture() });
  const signal = new AbortController().signal;
  try {
    await client.call('splits.assign', { train: 0.6, validation: 0.2, test: 0.2, seed: 1 });
    const trained = jobResult(await client.follow((await client.call('training.start', { config: headOnlyConfig({ epochs: 1 }) })).jobId, 'train', { signal }))!;
    classes = (await client.call('runs.get', { runId: trained.id })).classes;
    const started = await client.call('runs.export', { runId: trained.id, checkpoint: 'best', format: 'tfjs' });
    exported = jobResult(await client.follow(started.jobId, 'export', { signal }))!.dir;
    const onnx = await client.call('runs.export', { runId: trained.id, checkpoint: 'best', format: 'onnx' });
    exportedOnnx = jobResult(await client.follow(onnx.jobId, 'export', { signal }))!.dir;
  } finally {
    await client.dispose();
  }
}, 300_000);
afterAll(() => cleanup());

describe('graft models import', () => {
  it('imports an export of the project\'s classes into the project\'s models/ folder, and says how to use it', async () => {
    const json = await graft(['models', 'import', project, exported, '--name', 'first', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const model = JSON.parse(json.stdout) as ImportedModel;
    expect(model).toMatchObject({ name: 'first', format: 'tfjs', copied: true, classes, classMap: Object.fromEntries(classes.map((c) => [c, c])) });
    expect(model.path.startsWith(path.join(project, 'models'))).toBe(true);

    const human = await graft(['models', 'import', project, exported]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`as model ${model.id + 1} (tfjs, copied to ${path.join(project, 'models')}`);
    expect(human.stdout).toContain(`Classes: ${classes.join(', ')} (the project's)`);
    expect(human.stdout).toContain(`graft suggest ${project} --model ${model.id + 1}`);
  }, 120_000);

  it('refuses a model whose classes differ, naming the difference and the option; maps them with --map-classes, referenced where it is', async () => {
    const renamed = path.join(dir, 'renamed-export');
    fs.cpSync(exported, renamed, { recursive: true });
    fs.writeFileSync(path.join(renamed, 'labels.json'), JSON.stringify({ classes: ['fox', classes[1]] }));
    const refused = await graft(['models', 'import', project, renamed]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`the model has "fox", which the project lacks; the project has "${classes[0]}", which the model lacks`);
    expect(refused.stderr).toContain('(--map-classes "MODEL CLASS=PROJECT CLASS", once per class)');
    expect(refused.stderr).not.toContain('mapClasses');

    const mapped = await graft(['models', 'import', project, renamed, '--map-classes', `fox=${classes[0]}`, '--reference', '--json']);
    expect(mapped.code, mapped.stderr).toBe(0);
    const model = JSON.parse(mapped.stdout) as ImportedModel;
    expect(model).toMatchObject({ copied: false, classes: ['fox', classes[1]], classMap: { fox: classes[0], [classes[1]!]: classes[1] } });
    expect(path.dirname(model.path)).toBe(renamed);
    expect(fs.existsSync(path.join(project, 'models', `model-${model.id}`))).toBe(false);
  }, 120_000);

  it('imports an ONNX export too: it predicts in the project, and cannot start a run', async () => {
    const json = await graft(['models', 'import', project, exportedOnnx, '--name', 'onnx', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const model = JSON.parse(json.stdout) as ImportedModel;
    expect(model).toMatchObject({ name: 'onnx', format: 'onnx', classes });
    const client = openAppClient({ spawner: countingSpawner('cpu').spawner(), projectDir: project, io: capture() });
    try {
      const started = await client.call('predict.files', { paths: [path.join(dir, 'photos')], model: { modelId: model.id } });
      const result = jobResult(await client.follow(started.jobId, 'predict', { signal: new AbortController().signal }))!;
      expect(result.results.length).toBeGreaterThan(0);
      for (const row of result.results) expect(classes).toContain(row.top[0]!.label);
      await expect(client.call('training.start', { config: headOnlyConfig({ startFrom: { kind: 'model', modelId: model.id } }) })).rejects.toMatchObject({
        message: expect.stringContaining('is an ONNX model: Graft can predict with it but not train it further'),
      });
    } finally {
      await client.dispose();
    }
  }, 120_000);

  it('refuses what it cannot use before opening the project, and keeps graft models a listing', async () => {
    expect((await graft(['models', 'import', project])).stderr).toContain('Missing the model');
    expect((await graft(['models', 'import', project, exported, '--map-classes', 'fox'])).stderr).toContain('--map-classes takes MODEL=PROJECT');
    expect((await graft(['models', '--name', 'x'])).stderr).toContain('--name is for graft models import');
    expect((await graft(['models', 'export'])).stderr).toContain('Unknown models action "export"');
    const listing = await graft(['models']);
    expect(listing.code).toBe(0);
    expect(listing.stdout).toMatch(/^ARCH\s+NAME/);
  });
});

describe('--map-classes', () => {
  it('reads MODEL=PROJECT pairs, split at the first "=", and refuses a class mapped two ways', () => {
    expect(parseClassMap({})).toBeUndefined();
    expect(parseClassMap({ 'map-classes': ['Cat=cat', ' big dog = dog ', 'a=b=c'] })).toEqual({ Cat: 'cat', 'big dog': 'dog', a: 'b=c' });
    expect(() => parseClassMap({ 'map-classes': ['=cat'] })).toThrow(/MODEL=PROJECT/);
    expect(() => parseClassMap({ 'map-classes': ['Cat=cat', 'Cat=dog'] })).toThrow(/maps "Cat" twice/);
  });
});
