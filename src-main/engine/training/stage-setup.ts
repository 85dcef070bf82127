import type { LayersModel } from '@tensorflow/tfjs';
import type { ArchName } from '../../api/types/models';
import type { CacheStats, DatasetSnapshot, FreezePlan, RunStage, TrainEvent, TrainingConfig } from '../../api/types/runs';
import type { Tf } from '../backend';
import type { FrozenForward } from '../inference/frozen-forward';
import { machineThreads } from '../onnx/ort-session';
import { createFrozenForward } from '../onnx/select-frozen-forward';
import { ActivationStore, augmentTag, prefixKey } from './activation-store';
import type { FitData } from './fit-loop';
import { applyFreezePlan } from './freeze-plan';
import { fillActivationStore, type InputRecipe, type UnreadableImage } from './prefix-activations';
import { stageData } from './stage-data';
import { inputSizeOf, scalingOf } from './training-base';
import { cutOf, prefixWeightsHash, type FreezeCut } from './training-model';

/** Variant numbers drawn from for fresh augmentation: large enough that epochs rarely repeat one. */
const FRESH_VARIANTS = 1_000_000;

/** Everything a stage trains with, ready: the cut, the prefix runtime, the data; dispose after. */
export interface PreparedStage {
  cut: FreezeCut;
  /** Where the frozen prefix ran: null when nothing is frozen (the whole model trains on the images). */
  runtime: 'onnx' | 'tfjs' | null;
  /** True when `data` reads the activation cache, which then holds every readable image of the run. */
  cached: boolean;
  data: FitData;
  /** Cache figures of this stage (null when the prefix runs live). */
  stats: CacheStats | null;
  unreadable: UnreadableImage[];
  dispose(): void;
}

/** What preparing a stage needs to know about the run and its machine. */
export interface StageContext {
  tf: Tf;
  config: TrainingConfig;
  dataset: DatasetSnapshot;
  /** Names the model's weights for the cache key (a base's source, or a checkpoint). */
  weightsIdentity: string;
  activationCacheDir: string;
  emit(event: TrainEvent): void;
  checkpoint(): Promise<void>;
}

/** Variants per training image a run reads: 1 without augmentation, the cached count, or an endless supply when fresh. */
function variantsOf(config: TrainingConfig): number {
  if (!config.augment) return 1;
  return config.augmentMode.kind === 'cached' ? config.augmentMode.variants : FRESH_VARIANTS;
}

/** The input recipe of a run: input side, pixel scaling, augmentation and seed. */
export function recipeOf(config: TrainingConfig): InputRecipe {
  return { size: inputSizeOf(config.base), scaling: scalingOf(config.base), augment: config.augment, seed: config.seed };
}

/**
 * Prepares one stage: applies its freeze plan, finds the freeze cut, opens the prefix on
 * ONNX Runtime where it loads, and — unless the run computes the prefix live (no cache, or
 * fresh augmentation) — fills the activation cache for every image and variant the stage
 * reads, reusing whatever an earlier run with the same prefix already stored.
 */
export async function prepareStage(ctx: StageContext, model: LayersModel, stage: { stage: RunStage; plan: FreezePlan }, arch: ArchName): Promise<PreparedStage> {
  const { tf, config, dataset } = ctx;
  const recipe = recipeOf(config);
  applyFreezePlan(model, arch, stage.plan);
  // Pretrained statistics stay as they are while fine-tuning; a model trained from scratch needs its batch statistics.
  const cut = cutOf(tf, model, { batchNormInference: config.base.weights === 'none' ? 'frozen' : 'all' });
  let forward: FrozenForward | null = null;
  try {
    if (cut.boundary.length === 1 && cut.boundary[0] === model.inputs[0]!.sourceLayer.name) {
      // Nothing is frozen in front of the first trainable layer: train on the images.
      const size = recipe.size * recipe.size * 3;
      const paths = new Map(dataset.images.map((i) => [i.contentHash, i.path]));
      const variants = variantsOf(config);
      ctx.emit({ type: 'phase', phase: 'training', stage: stage.stage, message: 'Nothing is frozen: every layer trains on the images.' });
      return { cut, runtime: null, cached: false, data: stageData(dataset.images, variants, [size], { kind: 'pixels', recipe }, paths), stats: null, unreadable: [], dispose: () => cut.dispose() };
    }
    // On the calling thread: decoding then runs between passes, not beside them, which filled
    // the cache faster here (500 images: 2.5 s against 3.0 s on the ONNX Runtime thread).
    const selected = await createFrozenForward(tf, model, { choice: config.runtime, outputs: cut.boundary, threads: machineThreads(), thread: 'caller' });
    forward = selected.forward;
    const sizes = forward.outputShapes.map((shape) => shape.reduce((a, b) => a * b, 1));
    const variants = variantsOf(config);
    const live = !config.useCache || (config.augment !== null && config.augmentMode.kind === 'fresh');
    const paths = new Map(dataset.images.map((i) => [i.contentHash, i.path]));
    let unreadable: UnreadableImage[] = [];
    let store: ActivationStore | null = null;
    let stats: CacheStats | null = null;
    if (!live) {
      const key = prefixKey({
        arch,
        weights: ctx.weightsIdentity,
        inputSize: recipe.size,
        scaling: JSON.stringify(recipe.scaling),
        cut: cut.boundary,
        weightsHash: await prefixWeightsHash(model, cut.prefixLayers),
      });
      store = new ActivationStore(ctx.activationCacheDir, key, sizes.reduce((a, b) => a + b, 0), config.augment ? augmentTag(config.augment, config.seed) : 'none');
      const items = dataset.images.flatMap((image) =>
        Array.from({ length: image.split === 'train' ? variants : 1 }, (_, variant) => ({ path: image.path, contentHash: image.contentHash, variant })),
      );
      const note = selected.fallbackReason ? ` (${selected.fallbackReason})` : '';
      ctx.emit({ type: 'phase', phase: 'caching', stage: stage.stage, runtime: forward.runtime, message: `Computing the frozen layers once per image on ${forward.description}${note}…` });
      const entryBytes = store.floats * 4;
      let computed = 0;
      unreadable = await fillActivationStore(forward, store, items, recipe, config.batchSize, {
        checkpoint: ctx.checkpoint,
        onProgress: (p) => {
          computed = p.computed;
          ctx.emit({ type: 'cache', done: p.done, total: p.total, hits: p.done - p.computed, misses: p.computed, bytes: p.done * entryBytes, perSecond: p.perSecond });
        },
      });
      // Per image and variant: found in the cache (hit) or computed now (miss); the bytes this stage reads each epoch.
      stats = { hits: items.length - computed, misses: computed, bytes: (items.length - unreadable.length) * entryBytes };
    }
    const bad = new Set(unreadable.map((u) => u.path));
    const usable = dataset.images.filter((i) => !bad.has(i.path));
    const data = stageData(usable, variants, sizes, store ? { kind: 'cache', store } : { kind: 'live', forward, recipe }, paths);
    const { runtime } = forward;
    // Training from the cache needs the prefix no more: its session (and thread pool) goes now.
    let open: FrozenForward | null = forward;
    if (store) {
      open.dispose();
      open = null;
    }
    return {
      cut,
      runtime,
      cached: store !== null,
      data,
      stats,
      unreadable,
      dispose: () => {
        open?.dispose();
        cut.dispose();
      },
    };
  } catch (error) {
    forward?.dispose();
    cut.dispose();
    throw error;
  }
}
