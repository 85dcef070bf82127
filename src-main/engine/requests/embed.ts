import path from 'node:path';
import { ARCHITECTURES } from '../../api/model-catalog';
import type { EngineContext } from '../worker/engine-context';
import { acquireForRequest, type InferenceModels } from '../inference/acquire-model';
import { EmbeddingFiles, indexPathFor } from '../inference/embedding-files';
import { predictPixels, prefetchBatches } from '../inference/image-batches';
import type { EmbedParams, EmbedResult, FailedImage } from '../../api/types/inference';

/** Images per forward pass unless the request says otherwise. */
export const DEFAULT_EMBED_BATCH_SIZE = 16;

/**
 * The engine's `embed` request: feature vectors of many images written straight to an
 * `.npy` matrix and a `row,path` CSV, batch by batch, so memory stays flat however many
 * images there are. Unreadable images are listed in `failed` and get no row. Progress is
 * reported per batch; a cancel stops between batches and removes the partial files.
 */
export function createEmbedHandler(models: InferenceModels): (params: EmbedParams, ctx: EngineContext<'embed'>) => Promise<EmbedResult> {
  return async (params, ctx) => {
    const inputSize = params.inputSize ?? ARCHITECTURES[params.arch].defaultInputSize;
    const out = path.resolve(params.out);
    const indexOut = path.resolve(params.indexOut ?? indexPathFor(params.out));
    const total = params.images.length;
    const lease = await acquireForRequest(
      models,
      params,
      // Without a layer the trunk's end is pooled, as Keras's pooling='avg' default for features.
      { includeTop: false, layer: params.layer ?? null, pooling: params.pooling ?? (params.layer ? null : 'avg'), inputSize },
      ctx,
    );
    let files: EmbeddingFiles | null = null;
    try {
      await ctx.checkpoint();
      const prepared = lease.value;
      files = await EmbeddingFiles.create(out, indexOut, prepared.dims);
      const failed: FailedImage[] = [];
      const started = performance.now();
      let done = 0;
      for await (const batch of prefetchBatches(params.images, params.batchSize ?? DEFAULT_EMBED_BATCH_SIZE, inputSize)) {
        await ctx.checkpoint();
        const ok = batch.filter((item) => 'pixels' in item);
        for (const item of batch) if ('reason' in item) failed.push({ path: item.path, reason: item.reason });
        if (ok.length > 0) {
          const vectors = await predictPixels(ctx.tf, prepared, ok.map((item) => item.pixels));
          await files.append(vectors, ok.map((item) => item.path));
        }
        done += batch.length;
        const perSecond = done / Math.max((performance.now() - started) / 1000, 1e-3);
        ctx.emit({ phase: 'images', done, total, perSecond, message: `${done}/${total} images (${perSecond.toFixed(1)} images/s)` });
      }
      await ctx.checkpoint();
      await files.commit();
      return {
        rows: files.rows,
        dims: prepared.dims,
        out,
        indexOut,
        layer: prepared.layer,
        pooling: prepared.pooling,
        inputSize,
        weightsSource: prepared.weightsSource,
        failed,
        seconds: (performance.now() - started) / 1000,
      };
    } catch (error) {
      await files?.abort();
      throw error;
    } finally {
      lease.release();
    }
  };
}
