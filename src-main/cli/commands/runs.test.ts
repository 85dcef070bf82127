import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../api/types/runs';
import { runCli } from '../run-cli';
import { capture, countingSpawner, labelledProject, tempDir } from '../test-support/cli-fixtures';
import { createRunsCommand, runsTable } from './runs';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir('graft-runs-test-')));
afterAll(() => cleanup());

const run = (over: Partial<RunSummary>): RunSummary => ({
  id: 1,
  name: 'Run 1 · vgg16',
  status: 'completed',
  arch: 'vgg16',
  classes: ['a', 'b'],
  createdAt: new Date(2026, 0, 2, 3, 4).toISOString(),
  finishedAt: null,
  epochs: 10,
  best: { epoch: 7, valAcc: 0.9126, valLoss: 0.2 },
  testAcc: 0.875,
  backend: 'wasm',
  runtime: 'onnx',
  seconds: 12,
  error: null,
  hasCheckpoint: true,
  ...over,
});

describe('graft runs', () => {
  it('lays runs out as a table, with dashes where a figure is missing', () => {
    expect(runsTable([run({ id: 12, name: 'long name here', status: 'cancelled', best: null, testAcc: null, epochs: 3 }), run({})]).split('\n')).toEqual([
      'id  name            status     arch   epochs  best val acc  test acc           created',
      '--  --------------  ---------  -----  ------  ------------  --------  ----------------',
      '12  long name here  cancelled  vgg16       3             -         -  2026-01-02 03:04',
      ' 1  Run 1 · vgg16   completed  vgg16      10         0.913     0.875  2026-01-02 03:04',
    ]);
  });

  it('says there are none yet, and lists none as JSON, without starting an engine', async () => {
    const project = await labelledProject(dir, { classes: 2, perClass: 5, size: 32 });
    const counter = countingSpawner();
    const text = capture();
    expect(await runCli(['runs', project], [createRunsCommand(counter.spawner)], text)).toBe(0);
    expect(text.stdout).toEqual(['No runs yet. Start one with: graft train <project-dir> --base mobilenet_v2']);
    const json = capture();
    expect(await runCli(['runs', project, '--json'], [createRunsCommand(counter.spawner)], json)).toBe(0);
    expect(JSON.parse(json.stdout.join(''))).toEqual([]);
    expect(counter.spawns()).toBe(0);
  });
});
