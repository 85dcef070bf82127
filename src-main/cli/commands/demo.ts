import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GraftError } from '../../api/errors';
import { ARCHITECTURES } from '../../api/model-catalog';
import { inputSize as inputSizeParser } from '../../api/params/models-params';
import type { SplitCounts } from '../../api/types/library';
import { int } from '../../base/parse';
import type { EngineSpawner } from '../../engine/host/engine-process';
import { jobResult, openAppClient } from '../app-client';
import { nodeEngineSpawner } from '../app-paths';
import { CANCELLED_EXIT_CODE, printResult, type CliCommand, type CliIo, type CliValues } from '../command';
import { DEMO_CLASS_NAMES, writeDemoImages } from '../demo/demo-images';
import { DEMO_DEFAULTS, DEMO_EPOCHS, DEMO_FINE_TUNE_FROM, DEMO_LR_FACTOR, DEMO_SEED, DEMO_SPLITS, demoConfig } from '../demo/demo-plan';
import { option } from '../inference-options';
import { textOption } from '../option-terms';
import { duration, fixed3 } from '../text-table';
import { quoteArg, totalEpochsOf, trainToEnd, type TrainReport } from '../training-session';
import { confusionTable, perClassTable } from '../training-text';

const USAGE = 'demo [--dir DIR] [--per-class N] [--input-size N] [--head-only] [--json]';

/** What `graft demo --json` prints. */
export interface DemoReport {
  dir: string;
  photos: string;
  project: string;
  classes: string[];
  images: number;
  splits: SplitCounts;
  /** True unless --head-only: the last block trained too, in a second stage. */
  fineTuned: boolean;
  run: TrainReport;
  /** Test accuracy of the best checkpoint. */
  testAccuracy: number | null;
  seconds: number;
  /** The command that opens the project in the app. */
  serve: string;
}

/** The folder the demo fills: the one given (new or empty), else a fresh one under the OS temp folder. */
function demoDir(values: CliValues): string {
  const given = textOption(values, 'dir');
  if (given === undefined) return fs.mkdtempSync(path.join(os.tmpdir(), 'graft-demo-'));
  const dir = path.resolve(given);
  if (fs.existsSync(dir) && (!fs.statSync(dir).isDirectory() || fs.readdirSync(dir).length > 0)) {
    throw new GraftError('bad-request', `${dir} is not an empty folder; give --dir a new one (the demo makes photos/ and project/ in it).`);
  }
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Makes `graft demo`; training runs in an engine started with `spawner`. */
export function createDemoCommand(spawner: () => EngineSpawner = () => nodeEngineSpawner()): CliCommand {
  return {
    name: 'demo',
    summary: 'The offline demo: generate labelled photos, import them into a new project, split, train on MobileNetV2, evaluate.',
    usage: USAGE,
    details: [
      'Needs no network: the base is the MobileNetV2 bundled with Graft. Everything is seeded, so the figures repeat.',
      'Afterwards, graft serve DIR/project opens the project in the app.',
    ],
    options: {
      dir: { type: 'string', value: 'DIR', description: 'where to make photos/ and project/ (a new or empty folder)', defaultText: 'a new folder under the OS temp folder' },
      'per-class': {
        type: 'string',
        value: 'N',
        description: `photos generated per class (${DEMO_CLASS_NAMES.length} classes: ${DEMO_CLASS_NAMES.join(', ')})`,
        defaultText: String(DEMO_DEFAULTS.perClass),
      },
      'input-size': {
        type: 'string',
        value: 'N',
        description: `the side MobileNetV2 sees (the photos are ${DEMO_DEFAULTS.photoSize}×${DEMO_DEFAULTS.photoSize})`,
        defaultText: String(DEMO_DEFAULTS.inputSize),
      },
      'head-only': {
        type: 'boolean',
        description: `train the head alone on the frozen base (otherwise, after the head's ${DEMO_EPOCHS.head} epochs, ${DEMO_FINE_TUNE_FROM} onwards with it for ${DEMO_EPOCHS.fineTune} more)`,
      },
    },
    async run({ positionals, values, json, io, signal }) {
      if (positionals.length > 0) throw new GraftError('bad-request', `graft demo takes no arguments; got "${positionals[0]}". Usage: graft ${USAGE}`);
      const perClass = option(values, 'per-class', int({ min: 5, max: 1000 }), 'whole') ?? DEMO_DEFAULTS.perClass;
      const inputSize = option(values, 'input-size', inputSizeParser, 'whole') ?? DEMO_DEFAULTS.inputSize;
      if (inputSize < ARCHITECTURES.mobilenet_v2.minInputSize) {
        throw new GraftError('bad-request', `--input-size must be at least ${ARCHITECTURES.mobilenet_v2.minInputSize} for MobileNetV2; got ${inputSize}.`);
      }
      const headOnly = values['head-only'] === true;
      const dir = demoDir(values);
      const started = performance.now();
      const say = (text: string) => {
        if (!json) io.err(text);
      };
      const photos = path.join(dir, 'photos');
      const projectDir = path.join(dir, 'project');
      // The engine starts in the background while the photos are drawn.
      const client = openAppClient({ spawner: spawner(), io });
      try {
        const set = await writeDemoImages(photos, { perClass, size: DEMO_DEFAULTS.photoSize, seed: DEMO_SEED });
        const images = set.classes.reduce((n, c) => n + c.images, 0);
        say(`1. Generated ${images} labelled photos (${set.classes.map((c) => c.name).join(', ')}; ${set.size}×${set.size} PNG) in ${photos}`);
        await client.call('project.create', { dir: projectDir });
        const importJob = await client.call('library.import', { folder: photos, labelsFromSubfolders: true, concurrency: 1 });
        const imported = jobResult(await client.follow(importJob.jobId, 'import', { signal }));
        if (!imported) return cancelled(io, json, dir);
        say(`2. Created the project ${projectDir} and imported ${imported.added} photos, labelled by their folder`);
        const splits = await client.call('splits.assign', { ...DEMO_SPLITS, seed: DEMO_SEED });
        const pct = (x: number) => Math.round(x * 100);
        say(
          `3. Split each class ${pct(DEMO_SPLITS.train)}/${pct(DEMO_SPLITS.validation)}/${pct(DEMO_SPLITS.test)} (seed ${DEMO_SEED}): ` +
            `${splits.totals.train} train, ${splits.totals.validation} validation, ${splits.totals.test} test`,
        );
        const config = demoConfig({ inputSize, headOnly });
        say(`4. Training ${trainingWords(inputSize, headOnly)}…`);
        const run = await trainToEnd(client, { config, name: 'Demo' }, { projectDir, io, json, signal, totalEpochs: totalEpochsOf(config) });
        if (run.status === 'cancelled') return cancelled(io, json, dir);
        const report: DemoReport = {
          dir,
          photos,
          project: projectDir,
          classes: run.classes,
          images,
          splits,
          fineTuned: !headOnly,
          run,
          testAccuracy: run.test?.accuracy ?? null,
          seconds: (performance.now() - started) / 1000,
          serve: `graft serve ${quoteArg(projectDir)}`,
        };
        printResult(io, json, report, () => describeDemo(report, headOnly, inputSize));
        return 0;
      } finally {
        await client.dispose();
      }
    },
  };
}

/** `graft demo`. */
export const demoCommand: CliCommand = createDemoCommand();

function cancelled(io: CliIo, json: boolean, dir: string): number {
  printResult(io, json, { cancelled: true, dir }, () => `Cancelled; what was made so far is in ${dir}.`);
  return CANCELLED_EXIT_CODE;
}

function trainingWords(inputSize: number, headOnly: boolean): string {
  const base = `MobileNetV2 (bundled weights, offline) at ${inputSize}×${inputSize}`;
  return headOnly
    ? `${base}: the head alone on the frozen base for ${DEMO_EPOCHS.head} epochs`
    : `${base}: the head for ${DEMO_EPOCHS.head} epochs, then ${DEMO_FINE_TUNE_FROM} onwards with the head for ${DEMO_EPOCHS.fineTune} epochs at ${DEMO_LR_FACTOR} × the learning rate`;
}

function describeDemo(r: DemoReport, headOnly: boolean, inputSize: number): string {
  const run = r.run;
  const where = run.backend ? ` on the ${run.backend} backend${run.runtime === 'onnx' ? ', frozen layers on ONNX Runtime' : ''}` : '';
  const lines = [
    `Graft demo: ${r.images} generated photos of ${r.classes.join(', ')} → a project → a trained classifier.`,
    `Trained ${trainingWords(inputSize, headOnly)} in ${duration(run.seconds ?? 0)}${where}.`,
  ];
  if (headOnly) lines.push(`Head only: the base stayed frozen (without --head-only, graft demo also trains ${DEMO_FINE_TUNE_FROM} onwards, in a second stage).`);
  if (run.best) lines.push(`Best epoch ${run.best.epoch + 1}: validation accuracy ${fixed3(run.best.valAcc)}.`);
  if (run.test) {
    lines.push(`Test accuracy: ${fixed3(run.test.accuracy)} on ${run.test.images} held-out photos (${run.test.checkpoint} checkpoint).`, '', perClassTable(run.classes, run.test), '');
    lines.push('Confusion matrix (rows: true class, columns: predicted):', confusionTable(run.classes, run.test.confusion), '');
  }
  lines.push(
    `Done in ${duration(r.seconds)}. The photos are in ${r.photos}, the project in ${r.project}.`,
    `Open it in the app:  ${r.serve}`,
    `Its runs:            graft runs ${quoteArg(r.project)}   ·   graft evaluate ${quoteArg(r.project)} --run ${run.runId}`,
  );
  return lines.join('\n');
}
