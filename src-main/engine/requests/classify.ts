import { GraftError } from '../../api/errors';
import { decodePredictions } from '../models/decode-predictions';
import { ARCHITECTURES } from '../../api/model-catalog';
import type { EngineContext } from '../worker/engine-context';
import { acquireForRequest, type InferenceModels } from '../inference/acquire-model';
import { scaledBatches } from '../inference/image-batches';
import { runtimeReport } from '../inference/inference-model';
import type { ClassifiedImage, ClassifyParams, ClassifyResult } from '../../api/types/inference';

/** Images per forward pass when classifying. */
const CLASSIFY_BATCH_SIZE = 8;

/** Fails early, with what to do instead, when the weights cannot name ImageNet classes. */
function checkClassifier(params: ClassifyParams, inputSize: number): void {
  const spec = ARCHITECTURES[params.arch];
  if (params.weights === 'bundled') {
    throw new GraftError(
      'bad-request',
      `The bundled ${spec.displayName} weights have no ImageNet classifier (nsfwjs fine-tuned them for a 5-class task), ` +
        'so they cannot name ImageNet classes. Classify with the ImageNet weights (download) or a Keras file with a 1000-class top; ' +
        'the bundled weights work for embeddings.',
    );
  }
  // VGG16's classifier starts with a Flatten, so its weights fit only the 224×224 feature map.
  if (params.arch === 'vgg16' && params.weights !== 'none' && inputSize !== spec.defaultInputSize) {
    throw new GraftError('bad-request', `VGG16's ImageNet classifier only works at ${spec.defaultInputSize}×${spec.defaultInputSize}; leave the input size out.`);
  }
}

/**
 * The engine's `classify` request: the top ImageNet classes of each image, from a model with
 * its 1000-class classifier, run on ONNX Runtime where it loads (tfjs otherwise, or as asked).
 * Unreadable images get an `error` entry; the others are not affected.
 */
export function createClassifyHandler(models: InferenceModels): (params: ClassifyParams, ctx: EngineContext<'classify'>) => Promise<ClassifyResult> {
  return async (params, ctx) => {
    const inputSize = params.inputSize ?? ARCHITECTURES[params.arch].defaultInputSize;
    checkClassifier(params, inputSize);
    const total = params.images.length;
    const lease = await acquireForRequest(models, params, { includeTop: true, layer: null, pooling: null, inputSize }, ctx);
    try {
      const prepared = lease.value;
      const results: ClassifiedImage[] = [];
      for await (const batch of scaledBatches(params.images, CLASSIFY_BATCH_SIZE, inputSize, prepared.scaling)) {
        await ctx.checkpoint();
        const scores = batch.rows > 0 ? (await prepared.forward.run(batch.data, batch.rows))[0]! : new Float32Array();
        const rows = Array.from({ length: batch.rows }, (_, i) => scores.subarray(i * prepared.dims, (i + 1) * prepared.dims));
        const decoded = decodePredictions(rows, params.top);
        for (const item of batch.items) {
          results.push('reason' in item ? { path: item.path, error: item.reason } : { path: item.path, predictions: decoded[item.row]! });
        }
        ctx.emit({ phase: 'images', done: results.length, total, perSecond: null, message: `${results.length}/${total} images` });
      }
      return { weightsSource: prepared.weightsSource, inputSize, results, ...runtimeReport(prepared) };
    } finally {
      lease.release();
    }
  };
}
