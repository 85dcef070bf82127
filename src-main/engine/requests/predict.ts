import type { FailedImage } from '../../api/types/inference';
import type { EnginePredictParams, PredictedImage, PredictResult } from '../../api/types/predict';
import { preparePredictModel } from '../predict/prepare-model';
import { predictedImages, probabilityRows } from '../predict/prediction-rows';
import { preprocessedBatches } from '../predict/preprocessed-batches';
import type { EngineContext } from '../worker/engine-context';

/** Images per forward pass when the request names none: ONNX Runtime's per-image cost is flat past ~8. */
export const PREDICT_BATCH_SIZE = 16;

/**
 * The engine's `predict`: a run's checkpoint or an exported model (any format Graft writes,
 * with its `preprocessing.json` applied) over image files, on ONNX Runtime where it loads,
 * decoding the next batch while the current one runs. Each readable image gets its top-K
 * classes, full probability row, margin and entropy; unreadable ones are listed with the
 * reason and never stop the run. Cancel takes effect between batches.
 */
export async function runPredict(params: EnginePredictParams, ctx: EngineContext<'predict'>): Promise<PredictResult> {
  const started = performance.now();
  const total = params.images.length;
  ctx.emit({ phase: 'loading', done: 0, total, perSecond: null, message: 'Loading the model…' });
  const prepared = await preparePredictModel(ctx.tf, params.model, { runtime: params.runtime, threads: params.threads });
  try {
    const { info, forward } = prepared;
    const results: PredictedImage[] = [];
    const unreadable: FailedImage[] = [];
    let logits = false;
    let done = 0;
    const imagesStarted = performance.now();
    ctx.emit({ phase: 'images', done: 0, total, perSecond: null, message: `0/${total} images` });
    for await (const batch of preprocessedBatches(params.images, params.batchSize ?? PREDICT_BATCH_SIZE, info.preprocessing)) {
      await ctx.checkpoint();
      const readable: string[] = [];
      for (const entry of batch.entries) {
        if ('reason' in entry) unreadable.push({ path: entry.path, reason: entry.reason });
        else readable.push(entry.path);
      }
      if (batch.rows > 0) {
        const [output] = await forward.run(batch.data, batch.rows);
        const { rows } = probabilityRows(output!, batch.rows, () => (logits = true));
        results.push(...predictedImages(readable, rows, info.classes, params.top));
      }
      done += batch.entries.length;
      const perSecond = done / Math.max((performance.now() - imagesStarted) / 1000, 1e-3);
      ctx.emit({ phase: 'images', done, total, perSecond, message: `${done}/${total} images, ${perSecond.toFixed(1)}/s` });
    }
    if (logits) info.assumptions.push('The model gives scores that are not probabilities (they do not sum to 1): Graft applied a softmax.');
    const seconds = (performance.now() - started) / 1000;
    return {
      model: info,
      results,
      unreadable,
      runtime: forward.runtime,
      runtimeDetails: forward.description,
      fallbackReason: prepared.fallbackReason,
      seconds,
      imagesPerSecond: done / Math.max((performance.now() - imagesStarted) / 1000, 1e-3),
    };
  } finally {
    prepared.dispose();
  }
}
