import sharp from 'sharp';
import type { LayersModel, Tensor, Tensor4D } from '@tensorflow/tfjs';
import { GraftError } from '../../api/errors';
import type { GradCam } from '../../api/types/runs';
import type { Tf } from '../backend';
import type { EngineGradCamParams } from '../protocol';
import { loadCheckpoint } from '../training/checkpoint';
import { modelInput } from '../training/prefix-activations';
import { inputSizeOf, scalingOf } from '../training/training-base';
import { modelFrom, withLinearOutput } from '../training/training-model';
import { installTrainingKernels } from '../training/wasm-gradients';
import type { EngineContext } from '../worker/engine-context';

type Layer = LayersModel['layers'][number];

/** The last layer whose output is a 4-D feature map: what Grad-CAM weighs. */
function lastFeatureMap(model: LayersModel): Layer {
  const layers = model.layers.filter((l) => (l.output as { shape?: unknown[] }).shape?.length === 4 && l.inboundNodes[0]?.inboundLayers.length);
  const last = layers.at(-1);
  if (!last) throw new GraftError('bad-request', 'This model has no convolutional feature map to explain.');
  return last;
}

/** Colours 0…1 with a blue → green → yellow → red ramp; alpha grows with the value so cold areas stay see-through. */
function colourise(values: Float32Array): Buffer {
  const out = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => {
    const t = Math.max(0, Math.min(1, v));
    out[i * 4] = Math.round(255 * Math.min(1, Math.max(0, 1.5 - Math.abs(4 * t - 3))));
    out[i * 4 + 1] = Math.round(255 * Math.min(1, Math.max(0, 1.5 - Math.abs(4 * t - 2))));
    out[i * 4 + 2] = Math.round(255 * Math.min(1, Math.max(0, 1.5 - Math.abs(4 * t - 1))));
    out[i * 4 + 3] = Math.round(40 + 170 * t);
  });
  return out;
}

/**
 * The engine's `gradCam` (Selvaraju et al.): the gradient of the class score (before softmax)
 * with respect to the last convolutional feature map, averaged per channel, weighs the map;
 * its positive part, scaled to 0…1 and resized to the input, is the heatmap.
 */
export async function runGradCam(params: EngineGradCamParams, ctx: EngineContext<'gradCam'>): Promise<GradCam> {
  const tf: Tf = ctx.tf;
  // Gradient kernels the wasm backend lacks (and faster ones for cpu); idempotent.
  installTrainingKernels(tf);
  const { model } = await loadCheckpoint(tf, params.runDir, params.checkpoint);
  const featureLayer = lastFeatureMap(model);
  const head = modelFrom(tf, model, [featureLayer], 'grad_cam_head');
  const features = tf.model({ inputs: model.inputs, outputs: featureLayer.output as never, name: 'grad_cam_features' });
  try {
    const size = inputSizeOf(params.config.base);
    const input = await modelInput({ path: params.image.path, contentHash: params.image.contentHash, variant: 0 }, { size, scaling: scalingOf(params.config.base), augment: null, seed: 0 });
    const result = tf.tidy(() => {
      const x = tf.tensor(input, [1, size, size, 3]);
      const map = features.predict(x) as Tensor;
      const probabilities = Array.from((model.predict(x) as Tensor).dataSync());
      const classIndex = params.classIndex ?? probabilities.indexOf(Math.max(...probabilities));
      if (classIndex < 0 || classIndex >= Math.max(2, probabilities.length)) throw new GraftError('bad-request', `The model has no class ${classIndex}.`);
      const score = (a: Tensor) =>
        withLinearOutput(tf, model, () => {
          const out = head.apply(a) as Tensor;
          // A one-unit sigmoid scores the positive class; its negative is the other class.
          if (out.shape[1] === 1) return classIndex === 1 ? out.sum() : out.sum().neg();
          // A one-hot mask rather than gather: gather's gradient needs a kernel the wasm backend lacks.
          return tf.sum(tf.mul(out, tf.oneHot([classIndex], out.shape[1]!)));
        });
      const grads = tf.grad(score)(map);
      const weights = grads.mean([1, 2], true);
      const cam = tf.relu(tf.sum(tf.mul(map, weights), -1, true));
      const scaled = tf.div(cam, tf.add(tf.max(cam), 1e-8));
      const resized = tf.reshape(tf.image.resizeBilinear(scaled as Tensor4D, [size, size]), [size * size]);
      return { classIndex, probabilities: probabilities.length === 1 ? [1 - probabilities[0]!, probabilities[0]!] : probabilities, values: resized.dataSync() as Float32Array };
    });
    const png = await sharp(colourise(result.values), { raw: { width: size, height: size, channels: 4 } }).png().toBuffer();
    return { classIndex: result.classIndex, probabilities: result.probabilities, layer: featureLayer.name, heatmap: `data:image/png;base64,${png.toString('base64')}` };
  } finally {
    // `head` re-applied layers (it holds references); `features` is a view over the model's own graph and holds none.
    head.dispose();
    model.dispose();
  }
}
