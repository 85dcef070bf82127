import type { LayersModel, SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import { GraftError } from '../../api/errors';
import type { ForwardRuntime } from '../../api/types/inference';
import type { Tf } from '../backend';
import { layerGraph } from '../onnx/convert/layer-graph';

/**
 * The one seam for frozen forward passes (features, the activation cache, classify, evaluation):
 * a batch of preprocessed float32 NHWC images in, float32 outputs of a model prefix out. Outputs
 * of the ONNX Runtime and the tfjs implementation agree within 1e-4.
 */
export interface FrozenForward {
  readonly runtime: ForwardRuntime;
  /** For the status line, e.g. "onnxruntime-node 1.30.0, cpu, 1 thread" or "tfjs wasm". */
  readonly description: string;
  /** Per image: [height, width, channels]. */
  readonly inputShape: readonly number[];
  /** The layers the outputs come from, in output order. */
  readonly outputLayers: readonly string[];
  /** Per output, per image, in Keras (channels-last) order: [1280], or [7, 7, 1280] for a map. */
  readonly outputShapes: readonly (readonly number[])[];
  /**
   * Runs `n` images stored back to back in `batch` (n × h × w × c floats) and returns one
   * array per output, n × outputSize floats each. Calls may not overlap.
   */
  run(batch: Float32Array, n: number): Promise<Float32Array[]>;
  /** Frees what this forward owns (a session, a sub-model wrapper); never the caller's model. */
  dispose(): void;
}

/** Options shared by both implementations. */
export interface FrozenForwardOptions {
  /** Layer names to take outputs from (a prefix cut); default the model's outputs. */
  outputs?: readonly string[];
}

/** Checks a batch against the input shape; a wrong size is the caller's bug, reported clearly. */
export function checkBatch(batch: Float32Array, n: number, inputShape: readonly number[]): void {
  const perImage = inputShape.reduce((a, b) => a * b, 1);
  if (!Number.isInteger(n) || n < 1) throw new GraftError('bad-request', `A batch needs at least one image; got n = ${n}.`);
  if (batch.length !== n * perImage) {
    throw new GraftError('bad-request', `A batch of ${n} images of [${inputShape.join(', ')}] needs ${n * perImage} floats; got ${batch.length}.`);
  }
}

/** Product of a shape's dimensions. */
export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * The tfjs implementation: the model (or its prefix up to `outputs`) predicted on the current
 * tfjs backend. Slower than ONNX Runtime, but it runs every layer tfjs has.
 */
export function createTfjsFrozenForward(tf: Tf, model: LayersModel, options: FrozenForwardOptions = {}): FrozenForward {
  const graph = layerGraph(model, options.outputs);
  const inputShape = fixedShape(graph.input.tensor.shape.slice(1), 'input');
  const outputs: SymbolicTensor[] = graph.outputs.map(({ name, ref }) => {
    if (ref.scope !== 0) throw new GraftError('bad-request', `Layer "${name}" is inside a nested model; tfjs cannot cut there.`);
    return ref.tensor;
  });
  const sameAsModel = outputs.length === model.outputs.length && outputs.every((t, i) => t === model.outputs[i]);
  // A functional view over the same layers: no weights are copied, so it must not dispose them.
  const runner = sameAsModel ? model : tf.model({ inputs: [graph.input.tensor], outputs });
  const outputShapes = graph.outputs.map(({ name, ref }) => fixedShape(ref.tensor.shape.slice(1), `output "${name}"`));
  const backend = tf.getBackend();
  return {
    runtime: 'tfjs',
    description: `tfjs ${backend}`,
    inputShape,
    outputLayers: graph.outputs.map((o) => o.name),
    outputShapes,
    async run(batch, n) {
      checkBatch(batch, n, inputShape);
      const results = tf.tidy(() => {
        const predicted = runner.predict(tf.tensor(batch, [n, ...inputShape], 'float32'), { batchSize: n });
        return Array.isArray(predicted) ? predicted : [predicted as Tensor];
      });
      try {
        return await Promise.all(results.map(async (t) => (await t.data()) as Float32Array));
      } finally {
        tf.dispose(results);
      }
    },
    dispose() {
      // Nothing owned: the view shares the caller's layers and weights.
    },
  };
}

function fixedShape(shape: readonly (number | null)[], what: string): number[] {
  if (shape.some((d) => d === null)) throw new GraftError('bad-request', `The model's ${what} has no fixed size; a frozen forward needs one.`);
  return shape as number[];
}
