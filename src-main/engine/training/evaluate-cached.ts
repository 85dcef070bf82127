import type { LayersModel } from '@tensorflow/tfjs';
import type { RunImage, SplitEvaluation } from '../../api/types/runs';
import type { Tf } from '../backend';
import { loadCheckpoint, type CheckpointName } from './checkpoint';
import { evaluatePredictions } from './evaluate-model';
import type { FitData, SuffixStepper } from './fit-loop';
import { probabilitiesFromLogits } from './logits-loss';

/** What evaluating from the cache needs of the run. */
export interface CachedEvaluationSetup {
  checkpoint: CheckpointName;
  classes: number;
  batchSize: number;
  /** The run's images per split (unreadable ones are left out here, as training left them out). */
  images: readonly RunImage[];
  unreadable: ReadonlySet<string>;
}

/**
 * Evaluates the model on its validation and test images from the last stage's activation
 * cache: the frozen prefix's outputs of every image are already stored, so only the trained
 * part runs, on the stage's own stepper (ONNX Runtime or tfjs) — no image is decoded and no
 * prefix computed again. The model must already hold the checkpoint's weights.
 */
export async function evaluateFromCache(
  data: Pick<FitData, 'read'>,
  stepper: SuffixStepper,
  setup: CachedEvaluationSetup,
  hooks: { checkpoint(): Promise<void> },
): Promise<SplitEvaluation[]> {
  const out: SplitEvaluation[] = [];
  for (const split of ['validation', 'test'] as const) {
    const images = setup.images.filter((i) => i.split === split && !setup.unreadable.has(i.path));
    if (images.length === 0) continue;
    const rows: Float32Array[] = [];
    let classes = 0;
    for (let start = 0; start < images.length; start += setup.batchSize) {
      await hooks.checkpoint();
      const batch = images.slice(start, start + setup.batchSize);
      const logits = await stepper.logits(await data.read(batch.map((i) => ({ key: i.contentHash, variant: 0 }))), batch.length);
      const scored = probabilitiesFromLogits(logits, logits.length / batch.length);
      classes = scored.classes;
      rows.push(scored.probabilities);
    }
    const probabilities = new Float32Array(images.length * classes);
    let offset = 0;
    for (const row of rows) {
      probabilities.set(row, offset);
      offset += row.length;
    }
    out.push(evaluatePredictions({ images, probabilities, classes }, { split, checkpoint: setup.checkpoint, classes: setup.classes }));
  }
  return out;
}

/**
 * Puts a checkpoint's weights into the run's model, for evaluating from the cache: only when
 * every layer that does not train in the last stage holds the same weights in both (they are
 * baked into the cache and the stage's graphs). Returns false, changing nothing, otherwise.
 */
export async function adoptCheckpointWeights(tf: Tf, model: LayersModel, runDir: string, which: CheckpointName, training: ReadonlySet<string>): Promise<boolean> {
  const { model: saved } = await loadCheckpoint(tf, runDir, which);
  try {
    if (saved.layers.length !== model.layers.length) return false;
    for (const [i, layer] of model.layers.entries()) {
      if (training.has(layer.name)) continue;
      const mine = layer.getWeights();
      const theirs = saved.layers[i]!.getWeights();
      if (mine.length !== theirs.length) return false;
      for (const [k, w] of mine.entries()) {
        const a = w.dataSync();
        const b = theirs[k]!.dataSync();
        if (a.length !== b.length || a.some((v, j) => v !== b[j])) return false;
      }
    }
    model.setWeights(saved.getWeights());
    return true;
  } finally {
    saved.dispose();
  }
}
