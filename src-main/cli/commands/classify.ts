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
import type { RuntimeReport } from '../../api/types/inference';
import { option, parseBase, parseWeights, RUNTIME_OPTIONS, runtimeLine, runtimeOptions, weightsLabel } from '../inference-options';
import { withOfflineAdvice, type WeightsSettings } from '../offline-weights';
import { engineProgressLine, withProgress } from '../progress-printer';

const USAGE = 'classify <image...> --base ARCH [--weights imagenet|FILE|none] [--top N] [--input-size N] [--runtime auto|onnx|tfjs] [--threads N] [--json]';


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
export function createClassifyCommand(spawner: () => EngineSpawner = () => nodeEngineSpawner(), settings: WeightsSettings = {}): CliCommand {
  return {
    name: 'classify',
    summary: 'Name the ImageNet classes in photos with a pretrained model (top-k with probabilities).',
    usage: USAGE,
    details: [
      'ImageNet weights are downloaded once to the weights cache: $GRAFT_CACHE_DIR, else $XDG_CACHE_HOME/graft/models, else ~/.cache/graft/models. On a machine without network, put the file there or use --weights FILE (when the download fails, graft classify says which file and its official URL).',
      'Photos that cannot be read are listed with the reason; the exit code is 1 only when none could be.',
    ],
    options: {
      base: { type: 'string', value: 'ARCH', required: true, description: `the architecture: ${ARCH_NAMES.join(', ')}` },
      weights: {
        type: 'string',
        value: 'imagenet|FILE|none',
        description:
          "imagenet: Keras's ImageNet weights; FILE: a Keras .h5/.keras or tfjs model.json with a 1000-class top; none: random (testing). bundled is refused: those weights have no ImageNet classifier",
        defaultText: 'imagenet',
      },
      top: { type: 'string', value: 'N', description: 'classes listed per photo', defaultText: '5' },
      'input-size': { type: 'string', value: 'N', description: 'square input side in pixels', defaultText: "the architecture's, e.g. 224" },
      ...RUNTIME_OPTIONS,
    },
    async run({ positionals, values, json, io, signal }) {
      if (positionals.length === 0) throw new GraftError('bad-request', `Give at least one image. Usage: graft ${USAGE}`);
      const arch = parseBase(values);
      const weights = parseWeights(values, 'imagenet');
      const top = option(values, 'top', positiveInt(1000), 'whole') ?? 5;
      const inputSize = option(values, 'input-size', inputSizeParser, 'whole');
      const { runtime, threads } = runtimeOptions(values);
      const images = positionals.map((p) => path.resolve(p));
      const cacheDir = defaultWeightsCacheDir(settings.env);
      const engine = new EngineClient(spawner());
      try {
        const hello = await engine.start();
        const request = { arch, weights, images, top, inputSize, runtime, threads, cacheDir, weightsBaseUrl: settings.weightsBaseUrl };
        const result = await withProgress(io, json, engineProgressLine, (onEvent) => engine.request('classify', request, { signal, onEvent })).catch(
          (error: unknown) => {
            throw withOfflineAdvice(error, weights, { arch, includeTop: true, inputSize }, cacheDir);
          },
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
