import path from 'node:path';
import { GraftError } from '../../api/errors';
import { EngineClient } from '../../engine/host/engine-client';
import type { EngineSpawner } from '../../engine/host/engine-process';
import type { ClassifiedImage } from '../../api/types/inference';
import { defaultWeightsCacheDir } from '../../engine/inference/weights-cache-dir';
import { ARCH_NAMES, ARCHITECTURES } from '../../api/model-catalog';
import { nodeEngineSpawner } from '../app-paths';
import { printResult, type CliCommand } from '../command';
import { positiveInt } from '../../base/parse';
import { inputSize as inputSizeParser } from '../../api/params/models-params';
import { runtimeChoice, threadCount } from '../../api/params/inference-params';
import type { RuntimeReport } from '../../api/types/inference';
import { option, parseBase, parseWeights, RUNTIME_DETAILS, runtimeLine, weightsLabel } from '../inference-options';
import { engineProgressLine, withProgress } from '../progress-printer';

const USAGE = 'classify <image...> --base <arch> [--weights imagenet|FILE|none] [--top 5] [--input-size N] [--runtime auto|onnx|tfjs] [--threads N] [--json]';

/** What `graft classify --json` prints. */
export interface ClassifyReport extends RuntimeReport {
  arch: string;
  weights: string;
  weightsSource: string;
  backend: string;
  inputSize: number;
  results: ClassifiedImage[];
}

/** Makes `graft classify`, starting engines with the given spawner (tests pick the backend). */
export function createClassifyCommand(spawner: () => EngineSpawner = () => nodeEngineSpawner()): CliCommand {
  return {
    name: 'classify',
    summary: 'Name the ImageNet classes in photos with a pretrained model (top-k with probabilities).',
    usage: USAGE,
    details: [
      `--base      the architecture: ${ARCH_NAMES.join(', ')}`,
      '--weights   imagenet (default: Keras\'s ImageNet weights, downloaded once to ~/.cache/graft/models',
      '            or $GRAFT_CACHE_DIR), a Keras .h5/.keras or tfjs model.json file with a 1000-class top,',
      '            or none (random weights, for testing). The bundled weights have no ImageNet classifier.',
      '--top N     classes listed per photo (default 5)',
      ...RUNTIME_DETAILS,
      'Photos that cannot be read are listed with the reason; the exit code is 1 only when none could be.',
    ],
    options: {
      base: { type: 'string' },
      weights: { type: 'string' },
      top: { type: 'string' },
      'input-size': { type: 'string' },
      runtime: { type: 'string' },
      threads: { type: 'string' },
    },
    async run({ positionals, values, json, io, signal }) {
      if (positionals.length === 0) throw new GraftError('bad-request', `Give at least one image. Usage: graft ${USAGE}`);
      const arch = parseBase(values);
      const weights = parseWeights(values, 'imagenet');
      const top = option(values, 'top', positiveInt(1000), 'whole') ?? 5;
      const inputSize = option(values, 'input-size', inputSizeParser, 'whole');
      const runtime = option(values, 'runtime', runtimeChoice);
      const threads = option(values, 'threads', threadCount, 'whole');
      const images = positionals.map((p) => path.resolve(p));
      const engine = new EngineClient(spawner());
      try {
        const hello = await engine.start();
        const result = await withProgress(io, json, engineProgressLine, (onEvent) =>
          engine.request('classify', { arch, weights, images, top, inputSize, runtime, threads, cacheDir: defaultWeightsCacheDir() }, { signal, onEvent }),
        );
        const report: ClassifyReport = {
          arch,
          weights: weightsLabel(weights),
          weightsSource: result.weightsSource,
          backend: hello.backend,
          inputSize: result.inputSize,
          results: result.results,
          runtime: result.runtime,
          runtimeDetails: result.runtimeDetails,
          fallbackReason: result.fallbackReason,
        };
        printResult(io, json, report, () => describe(report, ARCHITECTURES[arch].displayName));
        return report.results.some((r) => 'predictions' in r) ? 0 : 1;
      } finally {
        engine.dispose();
      }
    },
  };
}

/** `graft classify`, with the engine started the way the CLI starts it. */
export const classifyCommand: CliCommand = createClassifyCommand();

function describe(report: ClassifyReport, displayName: string): string {
  const lines = [`${displayName} at ${report.inputSize}×${report.inputSize}, weights: ${report.weightsSource}`, ...runtimeLine(report, report.backend)];
  for (const result of report.results) {
    if ('error' in result) {
      lines.push('', `${result.path}: ${result.error}`);
      continue;
    }
    lines.push('', result.path);
    for (const p of result.predictions) lines.push(`  ${(p.probability * 100).toFixed(1).padStart(5)}%  ${p.label} (${p.classId})`);
  }
  return lines.join('\n');
}
