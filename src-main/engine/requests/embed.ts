import path from 'node:path';
import { ARCHITECTURES } from '../../api/model-catalog';
import type { EngineContext } from '../worker/engine-context';
import { acquireForRequest, type InferenceModels } from '../inference/acquire-model';
import { EmbeddingFiles, indexPathFor } from '../inference/embedding-files';
import { scaledBatches } from '../inference/image-batches';
import { runtimeReport } from '../inference/inference-model';
import { DEFAULT_EMBED_BATCH_SIZE } from '../../api/params/inference-params';
import type { EmbedParams, EmbedResult, FailedImage } from '../../api/types/inference';


/**
 * The engine's `embed` request: feature vectors of many images written straight to an
 * `.npy` matrix and a `row,path` CSV, batch by batch, so memory stays flat however many
 * images there are. Forward passes run on ONNX Runtime where it loads (tfjs otherwise, or
 * as asked) while the next batch decodes. Unreadable images are listed in `failed` and get
 * no row. Progress is reported per batch; a cancel stops between batches and removes the
 * partial files.
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
      for await (const batch of scaledBatches(params.images, params.batchSize ?? DEFAULT_EMBED_BATCH_SIZE, inputSize, prepared.scaling)) {
        await ctx.checkpoint();
        for (const item of batch.items) if ('reason' in item) failed.push({ path: item.path, reason: item.reason });
        if (batch.rows > 0) {
          const [vectors] = await prepared.forward.run(batch.data, batch.rows);
          await files.append(vectors!, batch.items.flatMap((item) => ('row' in item ? [item.path] : [])));
        }
        done += batch.items.length;
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
        ...runtimeReport(prepared),
      };
    } catch (error) {
      await files?.abort();
      throw error;
    } finally {
      lease.release();
    }
  };
}
