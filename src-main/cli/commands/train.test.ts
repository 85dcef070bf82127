import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../api/types/runs';
import type { CliCommand } from '../command';
import { runCli } from '../run-cli';
import { capture, countingSpawner, labelledProject, tempDir } from '../test-support/cli-fixtures';
import type { TrainReport } from '../training-session';
import { createEvaluateCommand, type EvaluateReport } from './evaluate';
import { createLrFindCommand, type LrFindReport } from './lr-find';
import { createRunsCommand } from './runs';
import { createTrainCommand } from './train';

/** The training verbs on the real engine, cpu backend (deterministic, present everywhere). */
function verbs(): { commands: CliCommand[]; spawns: () => number } {
  const counter = countingSpawner('cpu');
  return {
    commands: [createTrainCommand(counter.spawner), createRunsCommand(counter.spawner), createEvaluateCommand(counter.spawner), createLrFindCommand(counter.spawner)],
    spawns: counter.spawns,
  };
}

/** A head-only run on the bundled MobileNetV2 at 32 px: small enough for the cpu backend in a test. */
const TINY = ['--base', 'mobilenet_v2', '--input-size', '32', '--batch-size', '8', '--lr', '0.01'];
/** TINY for the range test, which sweeps the learning rate itself (it refuses --lr). */
const TINY_LR_FIND = TINY.slice(0, -2);

let dir: string;
let cleanup: () => void;
let project: string;
beforeAll(async () => {
  ({ dir, cleanup } = tempDir('graft-cli-train-'));
  project = await labelledProject(dir, { classes: 2, perClass: 10, size: 64 });
});
afterAll(() => cleanup());

describe('graft train, runs and evaluate through the engine', () => {
  let trained: TrainReport;

  it('trains a head on a project without splits (the defaults are assigned first) and reports the run as JSON', async () => {
    const io = capture();
    expect(await runCli(['train', project, ...TINY, '--epochs', '2', '--json'], verbs().commands, io)).toBe(0);
    expect(io.stderr).toEqual([]);
    trained = JSON.parse(io.stdout.join('')) as TrainReport;
    expect(trained).toMatchObject({ runId: 1, status: 'completed', backend: 'cpu', arch: 'mobilenet_v2', classes: ['circles', 'squares'], resume: null, error: null });
    expect(['onnx', 'tfjs']).toContain(trained.runtime);
    expect(trained.splitsAssigned?.totals).toEqual({ train: 16, validation: 2, test: 2, none: 0 });
    expect(trained.splits).toEqual({ train: 16, validation: 2, test: 2 });
    expect(trained.history).toHaveLength(2);
    for (const epoch of trained.history) {
      expect(epoch).toMatchObject({ stage: 'head', loss: expect.any(Number), acc: expect.any(Number), valLoss: expect.any(Number), valAcc: expect.any(Number) });
    }
    expect(trained.best).toMatchObject({ epoch: expect.any(Number), valAcc: expect.any(Number) });
    expect(trained.cache).toEqual({ hits: expect.any(Number), misses: expect.any(Number), bytes: expect.any(Number) });
    expect(trained.cache!.bytes).toBeGreaterThan(0);
    expect(trained.seconds).toBeGreaterThan(0);
    expect(trained.test).toMatchObject({ checkpoint: 'best', images: 2, accuracy: expect.any(Number) });
    expect(trained.test!.confusion.flat().reduce((a, b) => a + b, 0)).toBe(2);
    expect(trained.validation).toMatchObject({ images: 2 });
  }, 180_000);

  it('lists the run and evaluates its checkpoints on either split', async () => {
    const { commands } = verbs();
    const listed = capture();
    expect(await runCli(['runs', project, '--json'], commands, listed)).toBe(0);
    const runs = JSON.parse(listed.stdout.join('')) as RunSummary[];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ id: 1, status: 'completed', arch: 'mobilenet_v2', epochs: 2, testAcc: trained.test!.accuracy, hasCheckpoint: true });

    const io = capture();
    expect(await runCli(['evaluate', project, '--run', '1', '--json'], commands, io)).toBe(0);
    const evaluation = JSON.parse(io.stdout.join('')) as EvaluateReport;
    expect(evaluation).toMatchObject({ runId: 1, split: 'test', checkpoint: 'best', classes: ['circles', 'squares'], images: 2 });
    expect(evaluation.report.accuracy).toBe(trained.test!.accuracy);

    const text = capture();
    expect(await runCli(['evaluate', project, '--run', '1', '--split', 'validation', '--checkpoint', 'last'], commands, text)).toBe(0);
    const out = text.stdout.join('\n');
    expect(out).toMatch(/^Run 1 "Run 1 · mobilenet_v2", last checkpoint, validation split \(2 images\)\nAccuracy: \d\.\d{3}\n/);
    expect(out).toMatch(/class\s+precision\s+recall\s+f1\s+support\n[- ]+\ncircles\s+[\d.-]+\s+[\d.-]+\s+[\d.-]+\s+1\nsquares\s+/);
    expect(out).toMatch(/weighted avg\s+[\d.-]+\s+[\d.-]+\s+[\d.-]+\s+2/);
    expect(out).toMatch(/true \\ predicted\s+circles\s+squares\n[- ]+\ncircles\s+\d\s+\d\nsquares\s+\d\s+\d$/);

    const table = capture();
    expect(await runCli(['runs', project], commands, table)).toBe(0);
    expect(table.stdout.join('\n')).toMatch(/id\s+name\s+status\s+arch\s+epochs\s+best val acc\s+test acc\s+created\n[- ]+\n\s*1\s+Run 1 · mobilenet_v2\s+completed\s+mobilenet_v2\s+2\s+\d\.\d{3}\s+\d\.\d{3}\s+\d{4}-\d\d-\d\d \d\d:\d\d/);
  }, 120_000);

  it('stops on Ctrl+C after a batch, says how to resume, and the resumed run finishes', async () => {
    const { commands } = verbs();
    const controller = new AbortController();
    const io = capture();
    const err = io.err;
    io.err = (text) => {
      err(text);
      // Not at the first epoch: runs-api records the checkpoints on disk when the cancel is
      // sent, while the engine may still be writing the first one (see the report to the lead).
      if (/^\[head\] epoch 2\/30: loss/.test(text)) controller.abort();
    };
    expect(await runCli(['train', project, ...TINY, '--epochs', '30', '--name', 'stopped'], commands, io, controller.signal)).toBe(130);
    const log = io.stderr.join('\n');
    expect(log).toContain('Training MobileNetV2 (alpha 1.0) at 32×32 (bundled weights): the head on the frozen base; 30 epochs, batch 8, adam lr 0.01');
    expect(log).toContain('Started run 2. Ctrl+C stops it after the current batch; it can be resumed.');
    expect(log).not.toContain('had no splits');
    const out = io.stdout.join('\n');
    expect(out).toMatch(/^Run 2 "stopped" cancelled/);
    expect(out).toContain(`Resume it with: graft train ${project} --resume 2`);

    const resumed = capture();
    expect(await runCli(['train', project, '--resume', '2', '--json'], commands, resumed)).toBe(0);
    const report = JSON.parse(resumed.stdout.join('')) as TrainReport;
    expect(report).toMatchObject({ runId: 2, name: 'stopped', status: 'completed', resume: null });
    expect(report.history.map((e) => e.epoch)).toEqual(Array.from({ length: 30 }, (_, i) => i));

    const again = capture();
    expect(await runCli(['train', project, '--resume', '2'], commands, again)).toBe(2);
    expect(again.stderr).toEqual(['graft: stopped has finished; start a new run to train more.']);
  }, 180_000);
});

describe('graft lr-find through the engine', () => {
  it('assigns the default splits, runs the range test and suggests a rate under a plot', async () => {
    const fresh = await labelledProject(`${dir}/lr`, { classes: 2, perClass: 10, size: 64 });
    const io = capture();
    expect(await runCli(['lr-find', fresh, ...TINY_LR_FIND, '--steps', '30', '--min-lr', '1e-5', '--max-lr', '1'], verbs().commands, io)).toBe(0);
    expect(io.stderr.join('\n')).toContain('The project had no splits: assigned the default 80/10/10 (seed 42; graft splits changes them):');
    const out = io.stdout.join('\n');
    expect(out).toMatch(/^Loss against learning rate over \d+ batches:\n/);
    expect(out).toContain('(learning rate, log scale)');
    expect(out).toMatch(/Suggested: valley \S+, steepest descent \S+, minimum\/10 \S+\./);

    const json = capture();
    expect(await runCli(['lr-find', fresh, ...TINY_LR_FIND, '--steps', '30', '--json'], verbs().commands, json)).toBe(0);
    const report = JSON.parse(json.stdout.join('')) as LrFindReport;
    expect(report.points.length).toBeGreaterThan(1);
    expect(report.points.length).toBeLessThanOrEqual(30);
    expect(report.points[0]!.lr).toBeCloseTo(1e-7, 12);
    expect(report.config).toMatchObject({ base: { arch: 'mobilenet_v2', inputSize: 32 }, batchSize: 8 });
    expect(report.suggested === null || report.suggested > 0).toBe(true);
  }, 180_000);
});

describe('refusals before any engine starts', () => {
  it.each([
    [['train', 'PROJECT'], /Say which model to use with --base/],
    [['train'], /Missing the project folder/],
    [['train', 'PROJECT', '--resume', '1', '--base', 'vgg16', '--epochs', '3'], /--resume continues run 1 with its own settings; drop --base, --epochs/],
    [['train', 'PROJECT', '--resume', 'last'], /--resume must be a whole number/],
    [['train', 'PROJECT', '--base', 'vgg16', '--frobnicate'], /Unknown option --frobnicate for graft train/],
    [['lr-find', 'PROJECT', '--base', 'vgg16', '--lr', '0.01'], /--lr does not apply to graft lr-find: the test sweeps the learning rate/],
    [['evaluate', 'PROJECT'], /Say which run with --run ID/],
    [['evaluate', 'PROJECT', '--run', '1', '--split', 'train'], /--split must be one of "test", "validation"; got "train"/],
    [['evaluate', 'PROJECT', '--run', '1', '--checkpoint', 'first'], /--checkpoint must be one of "best", "last"/],
    [['lr-find', 'PROJECT', '--base', 'vgg16', '--min-lr', '1', '--max-lr', '0.1'], /--min-lr \(1\) must be below --max-lr \(0.1\)/],
    [['lr-find', 'PROJECT', '--base', 'vgg16', '--steps', '5'], /--steps must be a whole number from 10 to 1000/],
  ])('%j exits 2 with one line', async (argv, message) => {
    const { commands, spawns } = verbs();
    const io = capture();
    expect(await runCli([...argv.map((a) => (a === 'PROJECT' ? project : a)), '--json'], commands, io)).toBe(2);
    expect(JSON.parse(io.stdout.join(''))).toEqual({ error: { code: 'bad-request', message: expect.stringMatching(message) } });
    expect(io.stderr).toHaveLength(1);
    expect(spawns()).toBe(0);
  });

  it('passes on the refusal of a dataset that cannot train, with what to do', async () => {
    const single = await labelledProject(`${dir}/single`, { classes: 1, perClass: 6, size: 32 });
    const io = capture();
    expect(await runCli(['train', single, '--base', 'mobilenet_v2', '--json'], verbs().commands, io)).toBe(2);
    expect(JSON.parse(io.stdout.join(''))).toEqual({ error: { code: 'bad-request', message: expect.stringMatching(/Training needs at least two classes with labelled training images; this project has 1\. Label more photos/) } });
  });

  it('says when a run does not exist, without starting an engine', async () => {
    const { commands, spawns } = verbs();
    const io = capture();
    expect(await runCli(['evaluate', project, '--run', '99'], commands, io)).toBe(1);
    expect(io.stderr).toEqual(['graft: There is no run 99 in this project (graft runs lists them).']);
    expect(spawns()).toBe(0);
  });
});
