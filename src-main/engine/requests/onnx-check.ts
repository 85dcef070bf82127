import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import { GraftError } from '../../api/errors';
import { BUNDLED_BASES } from '../../api/model-catalog';
import type { OnnxCheckParams, OnnxCheckResult } from '../../api/types/inference';
import type { Tf } from '../backend';
import { createTfjsFrozenForward, shapeSize } from '../inference/frozen-forward';
import { scalePixels } from '../inference/scale-pixels';
import { buildModel } from '../models/build-model';
import { loadWeights } from '../models/weights/load-weights';
import { createOnnxFrozenForward } from '../onnx/onnx-frozen-forward';
import { onnxRuntimeOnce, type OnnxRuntimeStatus } from '../onnx/ort-loader';
import type { EngineContext } from '../worker/engine-context';

/** The agreement Graft promises between ONNX Runtime and tfjs outputs (float32). */
export const PARITY_TOLERANCE = 1e-4;

const FEATURES = 'onnx_check_features';
const SCORES = 'onnx_check_scores';

/**
 * Photo-like bytes without a photo: smooth gradients with a texture that differs per image
 * and per channel, so every convolution sees structure, not a flat field.
 */
function checkImages(count: number, side: number): Uint8Array {
  const perImage = side * side * 3;
  const bytes = new Uint8Array(count * perImage);
  for (let n = 0; n < count; n++) {
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        for (let c = 0; c < 3; c++) {
          const value = (x * (3 + c) + y * (5 + n) + ((x * y + 7 * n) % 23) * 4 + c * 60) % 256;
          bytes[n * perImage + (y * side + x) * 3 + c] = value;
        }
      }
    }
  }
  return bytes;
}

/** MobileNetV2 with the bundled trunk and a small seeded head: pooled features → 16 ReLU units → 5 softmax scores. */
async function checkModel(tf: Tf, side: number): Promise<LayersModel> {
  const bundled = BUNDLED_BASES.find((b) => b.arch === 'mobilenet_v2');
  if (!bundled) throw new Error('MobileNetV2 has no bundled weights to check with.');
  const base = buildModel(tf, 'mobilenet_v2', { includeTop: false, inputShape: [side, side, 3] });
  try {
    await loadWeights(tf, base, { kind: 'bundled', name: bundled.name });
    const apply = (layer: { apply(x: SymbolicTensor): unknown }, x: SymbolicTensor) => layer.apply(x) as SymbolicTensor;
    const features = apply(tf.layers.globalAveragePooling2d({ name: FEATURES }), base.outputs[0]!);
    const hidden = apply(
      tf.layers.dense({ units: 16, activation: 'relu', name: 'onnx_check_hidden', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      features,
    );
    const scores = apply(
      tf.layers.dense({ units: 5, activation: 'softmax', name: SCORES, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      hidden,
    );
    return tf.model({ inputs: base.inputs, outputs: scores, name: 'graft_onnx_check' });
  } catch (error) {
    base.dispose();
    throw error;
  }
}

/** Largest |a − b| and largest |b|. */
function compare(a: Float32Array, b: Float32Array): { maxAbsDiff: number; maxAbs: number } {
  if (a.length !== b.length) throw new Error(`The runtimes gave ${a.length} and ${b.length} values.`);
  let maxAbsDiff = 0;
  let maxAbs = 0;
  for (let i = 0; i < a.length; i++) {
    maxAbsDiff = Math.max(maxAbsDiff, Math.abs(a[i]! - b[i]!));
    maxAbs = Math.max(maxAbs, Math.abs(b[i]!));
  }
  return { maxAbsDiff, maxAbs };
}

/**
 * The engine's `onnxCheck` request (`graft doctor --onnx`): MobileNetV2 with the bundled
 * weights and a small head, converted to ONNX and run on ONNX Runtime and on tfjs with the
 * same generated images; reports the largest difference of the pooled features and of the
 * head's scores. Fails with 'engine-unavailable' and the reason when ONNX Runtime cannot load.
 */
export function createOnnxCheckHandler(
  loadOnnx: () => Promise<OnnxRuntimeStatus> = onnxRuntimeOnce,
): (params: OnnxCheckParams, ctx: EngineContext<'onnxCheck'>) => Promise<OnnxCheckResult> {
  return async (params, ctx) => {
    const status = await loadOnnx();
    if (!status.available) throw new GraftError('engine-unavailable', status.error);
    const side = params.inputSize ?? 96;
    const count = params.images ?? 4;
    const { tf } = ctx;
    const model = await checkModel(tf, side);
    try {
      await ctx.checkpoint();
      const outputs = [FEATURES, SCORES];
      const onnx = await createOnnxFrozenForward(model, { onnxRuntime: status.runtime, threads: params.threads, outputs });
      const tfjs = createTfjsFrozenForward(tf, model, { outputs });
      try {
        const batch = scalePixels(checkImages(count, side), { kind: 'unit' });
        const fromOnnx = await onnx.run(batch, count);
        await ctx.checkpoint();
        const fromTfjs = await tfjs.run(batch, count);
        const compared = outputs.map((layer, i) => ({ layer, size: shapeSize(onnx.outputShapes[i]!), ...compare(fromOnnx[i]!, fromTfjs[i]!) }));
        const maxAbsDiff = Math.max(...compared.map((o) => o.maxAbsDiff));
        return {
          model: `MobileNetV2 ${side}×${side} (bundled weights) with a 2-layer head`,
          inputSize: side,
          images: count,
          onnx: onnx.description,
          tfjs: tfjs.description,
          outputs: compared,
          maxAbsDiff,
          tolerance: PARITY_TOLERANCE,
          agrees: maxAbsDiff <= PARITY_TOLERANCE,
        };
      } finally {
        onnx.dispose();
        tfjs.dispose();
      }
    } finally {
      // Frees the trunk's layers too: the check model is their only owner that is ever used.
      model.dispose();
    }
  };
}
