import path from 'node:path';
import { GraftError } from '../../api/errors';
import { EngineClient } from '../../engine/host/engine-client';
import type { EngineSpawner } from '../../engine/host/engine-process';
import { indexPathFor, removePartials } from '../../engine/inference/embedding-files';
import type { EmbedResult } from '../../api/types/inference';
import { defaultWeightsCacheDir } from '../../engine/inference/weights-cache-dir';
import { ARCH_NAMES, ARCHITECTURES } from '../../api/model-catalog';
import type { ArchName } from '../../api/types/models';
import { nodeEngineSpawner } from '../app-paths';
import { printResult, type CliCommand, type CliValues, CANCELLED_EXIT_CODE } from '../command';
import { collectImages } from '../image-sources';
import { positiveInt } from '../../base/parse';
import { inputSize, pooling } from '../../api/params/models-params';
import { DEFAULT_EMBED_BATCH_SIZE } from '../../api/params/inference-params';
import { defaultWeights, option, parseBase, parseWeights, RUNTIME_OPTIONS, runtimeLine, runtimeOptions, weightsLabel } from '../inference-options';
import { withOfflineAdvice, type WeightsSettings } from '../offline-weights';
import { engineProgressLine, withProgress } from '../progress-printer';
import { requirePositional } from '../run-cli';

const USAGE =
  'embed <project-dir|folder> --base ARCH --out FILE.npy [--weights bundled|imagenet|FILE|none] [--layer NAME] [--pooling avg|max] [--input-size N] [--batch-size N] [--runtime auto|onnx|tfjs] [--threads N] [--json]';


/** Failed images listed in the human summary before it says "and N more". */
const LISTED_FAILURES = 20;

/** What `graft embed --json` prints. */
export interface EmbedReport extends EmbedResult {
  arch: ArchName;
  weights: string;
  backend: string;
  source: { kind: 'project' | 'folder'; dir: string; images: number };
}

function parseOut(values: CliValues): string {
  const out = values.out;
  if (typeof out !== 'string' || out === '') throw new GraftError('bad-request', `Say where to write the vectors with --out FILE.npy. Usage: graft ${USAGE}`);
  if (!/\.npy$/i.test(out)) throw new GraftError('bad-request', `--out must name an .npy file; got "${out}".`);
  return path.resolve(out);
}

/** Makes `graft embed`, starting engines with the given spawner (tests pick the backend). */
export function createEmbedCommand(spawner: () => EngineSpawner = () => nodeEngineSpawner(), settings: WeightsSettings = {}): CliCommand {
  return {
    name: 'embed',
    summary: 'Compute a feature vector per image (a project\'s images or a folder\'s) and write them as .npy with a CSV index.',
    usage: USAGE,
    details: [
      'Writes FILE.npy (float32, shape [images, features], NumPy format) and FILE.csv next to it (the same name with .csv: columns row,path — row N of the matrix is that image).',
      'Images that cannot be read get no row; they are listed at the end.',
      'ImageNet weights are downloaded once to the weights cache: $GRAFT_CACHE_DIR, else $XDG_CACHE_HOME/graft/models, else ~/.cache/graft/models (without network: put the file there).',
      'Photos are stretched to the input size with bilinear resampling (Keras load_img defaults to nearest).',
      'Ctrl+C stops after the current batch and leaves no output files.',
    ],
    options: {
      base: { type: 'string', value: 'ARCH', required: true, description: `the architecture: ${ARCH_NAMES.join(', ')}` },
      out: { type: 'string', value: 'FILE.npy', required: true, description: 'where to write the vectors (the CSV index goes next to it)' },
      weights: {
        type: 'string',
        value: 'bundled|imagenet|FILE|none',
        description: "bundled (offline; mobilenet_v2, inception_v3), imagenet (Keras's, downloaded once), a Keras .h5/.keras or tfjs model.json file, or none (random)",
        defaultText: 'bundled where the base has it, else imagenet',
      },
      layer: { type: 'string', value: 'NAME', description: 'take the features from this layer (its Keras name)', defaultText: 'the end of the model without its classifier' },
      pooling: {
        type: 'string',
        value: 'avg|max',
        description: 'global pooling over the feature map; a 4-D layer without it is flattened',
        defaultText: 'avg without --layer, none with it',
      },
      'input-size': { type: 'string', value: 'N', description: 'square input side in pixels', defaultText: "the architecture's, e.g. 224" },
      'batch-size': { type: 'string', value: 'N', description: 'images per forward pass', defaultText: String(DEFAULT_EMBED_BATCH_SIZE) },
      ...RUNTIME_OPTIONS,
    },
    async run({ positionals, values, json, io, signal }) {
      const dir = requirePositional(positionals, 0, 'the project folder or image folder', USAGE);
      const arch = parseBase(values);
      const weights = parseWeights(values, defaultWeights(arch));
      const out = parseOut(values);
      const indexOut = indexPathFor(out);
      const params = {
        arch,
        weights,
        layer: typeof values.layer === 'string' ? values.layer : undefined,
        pooling: option(values, 'pooling', pooling),
        inputSize: option(values, 'input-size', inputSize, 'whole'),
        batchSize: option(values, 'batch-size', positiveInt(512), 'whole'),
        ...runtimeOptions(values),
        out,
        indexOut,
        cacheDir: defaultWeightsCacheDir(settings.env),
        weightsBaseUrl: settings.weightsBaseUrl,
      };
      const source = await collectImages(dir, signal);
      if (source.paths.length === 0) {
        throw new GraftError('bad-request', `No images in ${source.dir}${source.kind === 'project' ? ' (the project has none that are present)' : ''}.`);
      }
      if (!json) io.err(`Embedding ${source.paths.length} images from ${source.kind} ${source.dir} with ${ARCHITECTURES[arch].displayName}…`);
      const engine = new EngineClient(spawner());
      let result: EmbedResult;
      let backend: string;
      try {
        backend = (await engine.start()).backend;
        result = await withProgress(io, json, engineProgressLine, (onEvent) => engine.request('embed', { ...params, images: source.paths }, { signal, onEvent }));
      } catch (error) {
        if (!(error instanceof GraftError && error.code === 'cancelled' && signal.aborted)) {
          throw withOfflineAdvice(error, weights, { arch, includeTop: false, inputSize: params.inputSize }, params.cacheDir);
        }
        // The engine is stopped below before it can tidy up; remove what it left.
        engine.dispose();
        await removePartials(out, indexOut);
        printResult(io, json, { cancelled: true }, () => 'Cancelled; no files were written.');
        return CANCELLED_EXIT_CODE;
      } finally {
        engine.dispose();
      }
      const report: EmbedReport = {
        arch,
        weights: weightsLabel(weights),
        backend,
        source: { kind: source.kind, dir: source.dir, images: source.paths.length },
        ...result,
      };
      printResult(io, json, report, () => describe(report));
      return report.rows > 0 ? 0 : 1;
    },
  };
}

/** `graft embed`, with the engine started the way the CLI starts it. */
export const embedCommand: CliCommand = createEmbedCommand();

function describe(r: EmbedReport): string {
  const rate = r.seconds > 0 ? ` (${((r.rows + r.failed.length) / r.seconds).toFixed(1)} images/s)` : '';
  const features = `${r.layer}${r.pooling ? `, ${r.pooling} pooling` : ''}`;
  const lines = [
    `Wrote ${r.rows} × ${r.dims} float32 vectors to ${r.out}`,
    `Index (row,path): ${r.indexOut}`,
    `${ARCHITECTURES[r.arch].displayName} at ${r.inputSize}×${r.inputSize}, features from ${features}, weights: ${r.weightsSource}`,
    `Took ${r.seconds.toFixed(1)} s${rate}.`,
    ...runtimeLine(r, r.backend),
  ];
  if (r.failed.length > 0) {
    lines.push(r.failed.length === 1 ? '1 image could not be read and has no row:' : `${r.failed.length} images could not be read and have no row:`);
    lines.push(...r.failed.slice(0, LISTED_FAILURES).map((f) => `  ${f.path}: ${f.reason}`));
    if (r.failed.length > LISTED_FAILURES) lines.push(`  … and ${r.failed.length - LISTED_FAILURES} more (use --json for the full list)`);
  }
  return lines.join('\n');
}
