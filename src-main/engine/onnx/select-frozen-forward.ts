import type { LayersModel } from '@tensorflow/tfjs';
import { GraftError } from '../../api/errors';
import type { RuntimeChoice } from '../../api/types/inference';
import type { Tf } from '../backend';
import { createTfjsFrozenForward, type FrozenForward } from '../inference/frozen-forward';
import { createOnnxFrozenForward, type OnnxFrozenForwardOptions } from './onnx-frozen-forward';
import { onnxRuntimeOnce, type OnnxRuntimeStatus } from './ort-loader';

/** Options for picking a runtime; the ONNX ones apply when ONNX Runtime is used. */
export interface SelectForwardOptions extends Omit<OnnxFrozenForwardOptions, 'onnxRuntime'> {
  choice?: RuntimeChoice;
  /** How to get ONNX Runtime; default: load onnxruntime-node once per process. Tests inject a status. */
  loadOnnx?: () => Promise<OnnxRuntimeStatus>;
}

/** The forward picked, and why ONNX Runtime was not used when 'auto' fell back to tfjs. */
export interface SelectedForward {
  forward: FrozenForward;
  fallbackReason: string | null;
}

/**
 * Creates the frozen forward for a model: ONNX Runtime when it loads and converts the model,
 * tfjs otherwise ('auto'); 'onnx' fails instead of falling back, 'tfjs' never tries ONNX.
 */
export async function createFrozenForward(tf: Tf, model: LayersModel, options: SelectForwardOptions = {}): Promise<SelectedForward> {
  const { choice = 'auto', loadOnnx = onnxRuntimeOnce, ...rest } = options;
  if (choice === 'tfjs') return { forward: createTfjsFrozenForward(tf, model, rest), fallbackReason: null };
  const status = await loadOnnx();
  if (!status.available) {
    if (choice === 'onnx') throw new GraftError('engine-unavailable', status.error);
    return { forward: createTfjsFrozenForward(tf, model, rest), fallbackReason: status.error };
  }
  try {
    // The real runtime runs off this thread; an injected one (tests) stays on it.
    const thread = rest.thread ?? (loadOnnx === onnxRuntimeOnce ? 'own' : 'caller');
    return { forward: await createOnnxFrozenForward(model, { ...rest, thread, onnxRuntime: status.runtime }), fallbackReason: null };
  } catch (error) {
    const unsupportedLayer = error instanceof GraftError && error.details.reason === 'onnx-unsupported-layer';
    if (choice === 'onnx' || !unsupportedLayer) throw error;
    return { forward: createTfjsFrozenForward(tf, model, rest), fallbackReason: error.message };
  }
}
