import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreprocessingSpec } from '../../api/types/export';
import type { CliCommand } from '../command';
import { commandHelp } from '../help-text';
import { runCli } from '../run-cli';
import { capture, countingSpawner, labelledProject, tempDir } from '../test-support/cli-fixtures';
import type { TrainReport } from '../training-session';
import { createExportCommand, describeExport, exportCommand, type ExportReport } from './export';
import { createTrainCommand } from './train';

/** The verbs on the real engine, cpu backend (deterministic, present everywhere). */
function verbs(): { commands: CliCommand[]; spawns: () => number } {
  const counter = countingSpawner('cpu');
  return { commands: [createTrainCommand(counter.spawner), createExportCommand(counter.spawner)], spawns: counter.spawns };
}

const MODEL_FILES = { tfjs: ['model.json', 'weights.bin'], keras: ['model.keras'], h5: ['model.h5'], onnx: ['model.onnx'], 'keras-job': ['train.py', 'config.json', 'data'] };
const COMMON_FILES = ['labels.json', 'preprocessing.json', 'README.md', 'report.html', 'graft-export.json'];

let dir: string;
let cleanup: () => void;
let project: string;
let trained: TrainReport;
beforeAll(async () => {
  ({ dir, cleanup } = tempDir('graft-cli-export-'));
  project = await labelledProject(dir, { classes: 2, perClass: 10, size: 64 });
  const io = capture();
  // A head-only run on the bundled MobileNetV2 at 32 px, with a small hidden layer in the head.
  const code = await runCli(['train', project, '--base', 'mobilenet_v2', '--input-size', '32', '--head', '8', '--batch-size', '8', '--lr', '0.01', '--epochs', '2', '--json'], verbs().commands, io);
  if (code !== 0) throw new Error(io.stderr.join('\n'));
  trained = JSON.parse(io.stdout.join('')) as TrainReport;
}, 180_000);
afterAll(() => cleanup());

describe('graft export through the engine', () => {
  it.each(['tfjs', 'keras', 'h5', 'onnx'] as const)('exports the run as %s with its labels, preprocessing, model card and report, and a parity check within the bound', async (format) => {
    const out = path.join(dir, 'out', format);
    const io = capture();
    expect(await runCli(['export', project, '--run', String(trained.runId), '--format', format, '--out', out, '--json'], verbs().commands, io)).toBe(0);
    expect(io.stderr).toEqual([]);
    const report = JSON.parse(io.stdout.join('')) as ExportReport;
    expect(report).toMatchObject({ runId: 1, runName: 'Run 1 · mobilenet_v2', checkpoint: 'best', format, dir: out });
    expect([...report.files].sort()).toEqual([...COMMON_FILES, ...MODEL_FILES[format]].sort());
    expect(fs.readdirSync(out).sort()).toEqual(report.files);
    const bound = format === 'onnx' ? 1e-4 : 1e-5;
    expect(report.parity).toMatchObject({ passed: true, bound, images: 2 });
    expect(report.parity!.maxAbsDiff).toBeLessThanOrEqual(bound);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'labels.json'), 'utf8'))).toEqual({ classes: ['circles', 'squares'] });
    expect(JSON.parse(fs.readFileSync(path.join(out, 'preprocessing.json'), 'utf8'))).toMatchObject<Partial<PreprocessingSpec>>({ width: 32, height: 32, mode: 'unit' });
    expect(fs.readFileSync(path.join(out, 'README.md'), 'utf8')).toContain(`max |Δ| of any class probability ${report.parity!.maxAbsDiff.toExponential(2)}`);
    expect(fs.readdirSync(path.dirname(out)).filter((f) => f.includes('.partial'))).toEqual([]);
    console.info(`graft export --format ${format}: max |Δ| ${report.parity!.maxAbsDiff.toExponential(2)} (bound ${bound}) on ${report.parity!.images} images, ${report.parity!.reader}`);
  }, 120_000);

  it('writes a Keras training job, with no parity check to report', async () => {
    const out = path.join(dir, 'out', 'keras-job');
    const io = capture();
    expect(await runCli(['export', project, '--run', '1', '--format', 'keras-job', '--out', out, '--json'], verbs().commands, io)).toBe(0);
    const report = JSON.parse(io.stdout.join('')) as ExportReport;
    expect([...report.files].sort()).toEqual([...COMMON_FILES, ...MODEL_FILES['keras-job']].sort());
    expect(report.parity).toBeNull();
    expect(fs.readdirSync(path.join(out, 'data')).sort()).toEqual(['test', 'train', 'validation']);
    const card = fs.readFileSync(path.join(out, 'README.md'), 'utf8');
    expect(card).toContain('## Train it');
    expect(card).toContain('python3 train.py [--data data] [--out trained.keras]');
    expect(card).not.toContain('## Load it');
    expect(describeExport(report)).toContain(`Run it where Keras is installed: cd ${out} && python3 train.py`);
  }, 120_000);

  it('prints the files and the parity figure, writes into the project\'s exports by default, and replaces an earlier export there', async () => {
    const io = capture();
    expect(await runCli(['export', project, '--run', '1', '--checkpoint', 'last', '--format', 'onnx'], verbs().commands, io)).toBe(0);
    const expected = path.join(project, 'exports', 'run-1-mobilenet-v2-onnx');
    expect(io.stderr[0]).toBe('Exporting run 1 "Run 1 · mobilenet_v2" (last checkpoint) as an ONNX model. Ctrl+C cancels.');
    // The first step at once, then at most one a second, and the last one always.
    expect(io.stderr[1]).toBe("Reading the run's last checkpoint…");
    expect(io.stderr.at(-1)).toBe(`Wrote ${expected}`);
    const text = io.stdout.join('\n');
    expect(text).toMatch(new RegExp(`^Exported run 1 "Run 1 · mobilenet_v2" \\(last checkpoint\\) as an ONNX model:\\n${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`));
    expect(text).toContain('\n  model.onnx\n');
    expect(text).toMatch(/\nParity: max \|Δ\| \d\.\d{2}e[-+]\d+ ≤ 1e-4 on 2 held-out images \(ONNX Runtime [\d.]+\) — passed\n/);
    expect(text).toContain(`How to load it: ${path.join(expected, 'README.md')}`);
    fs.writeFileSync(path.join(expected, 'model.onnx'), 'stale');

    const again = capture();
    expect(await runCli(['export', project, '--run', '1', '--format', 'tfjs', '--out', expected, '--json'], verbs().commands, again)).toBe(0);
    expect(fs.existsSync(path.join(expected, 'model.onnx'))).toBe(false);
    expect(fs.existsSync(path.join(expected, 'model.json'))).toBe(true);
  }, 120_000);

  it('cancels on Ctrl+C and leaves nothing behind', async () => {
    const out = path.join(dir, 'out', 'cancelled');
    const controller = new AbortController();
    const io = capture();
    const err = io.err;
    io.err = (text) => {
      err(text);
      if (text.startsWith('Exporting run')) controller.abort();
    };
    expect(await runCli(['export', project, '--run', '1', '--format', 'keras', '--out', out], verbs().commands, io, controller.signal)).toBe(130);
    expect(io.stdout).toEqual(['Cancelled; nothing was written.']);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(path.dirname(out)).filter((f) => f.startsWith('cancelled'))).toEqual([]);
  }, 120_000);
});

describe('refusals', () => {
  let taken: string;
  beforeAll(() => {
    taken = path.join(dir, 'taken');
    fs.mkdirSync(taken, { recursive: true });
    fs.writeFileSync(path.join(taken, 'holiday.jpg'), 'mine');
  });

  it.each([
    [['export', 'PROJECT', '--format', 'onnx'], /Say which run with --run ID/],
    [['export', 'PROJECT', '--run', '1'], /Say which format with --format \(tfjs, keras, h5, onnx, keras-job\)/],
    [['export', 'PROJECT', '--run', '1', '--format', 'pb'], /--format must be one of "tfjs", "keras", "h5", "onnx", "keras-job"; got "pb"/],
    [['export', 'PROJECT', '--run', '1', '--format', 'onnx', '--checkpoint', 'first'], /--checkpoint must be one of "best", "last"/],
    [['export', 'PROJECT', '--run', 'one', '--format', 'onnx'], /--run must be/],
    [['export', '--run', '1', '--format', 'onnx'], /Missing the project folder/],
    [['export', 'PROJECT', '--run', '1', '--format', 'onnx', '--out', 'TAKEN'], /--out \S+taken is not empty \(1 entry\) and is not an earlier Graft export; nothing was written\. Give a new or empty folder\./],
    [['export', 'PROJECT', '--run', '1', '--format', 'onnx', '--out', 'FILE'], /--out \S+holiday\.jpg is a file, not a folder/],
  ])('%j exits 2 with one line, before any engine starts', async (argv, message) => {
    const { commands, spawns } = verbs();
    const io = capture();
    const args = argv.map((a) => (a === 'PROJECT' ? project : a === 'TAKEN' ? taken : a === 'FILE' ? path.join(taken, 'holiday.jpg') : a));
    expect(await runCli([...args, '--json'], commands, io)).toBe(2);
    expect(JSON.parse(io.stdout.join(''))).toEqual({ error: { code: 'bad-request', message: expect.stringMatching(message) } });
    expect(io.stderr).toHaveLength(1);
    expect(spawns()).toBe(0);
    expect(fs.readdirSync(taken)).toEqual(['holiday.jpg']);
  });

  it('says when the run does not exist, without starting an engine', async () => {
    const { commands, spawns } = verbs();
    const io = capture();
    expect(await runCli(['export', project, '--run', '99', '--format', 'onnx'], commands, io)).toBe(1);
    expect(io.stderr).toEqual(['graft: There is no run 99 in this project (graft runs lists them).']);
    expect(spawns()).toBe(0);
  });

  it('lists every option with its meaning and default in --help', () => {
    const help = commandHelp(exportCommand);
    // Help wraps at 100 columns: compare the words, not the line breaks.
    const flat = help.replace(/\s+/g, ' ');
    expect(flat).toContain('--run ID the run to export (graft runs lists them) (required)');
    expect(flat).toContain('--checkpoint best|last which checkpoint: best (the epoch with the best validation score) or last (default: best when the run saved one, else last)');
    expect(flat).toContain('--format F what to write: tfjs, keras, h5, onnx, keras-job (see Formats below) (required)');
    expect(flat).toMatch(/--out PATH the folder to write: .* \(default: the project's exports\/<run-name>-<format>\)/);
    for (const format of ['tfjs', 'keras', 'h5', 'onnx', 'keras-job']) expect(help).toMatch(new RegExp(`\\n  ${format}: \\S`));
  });
});
