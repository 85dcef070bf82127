import type { Optimizer } from '@tensorflow/tfjs';
import { GraftError } from '../../../api/errors';
import type { RuntimeChoice } from '../../../api/types/inference';
import type { Tf } from '../../backend';
import { tfjsStepper, type StepOptions, type SuffixStepper } from '../../training/fit-loop';
import { STOCHASTIC, type FreezeCut } from '../../training/training-model';
import { onnxRuntimeOnce, type OnnxRuntimeStatus } from '../ort-loader';
import { machineThreads } from '../ort-session';
import { createOnnxStepper } from './onnx-stepper';


/** What picking a stepper needs besides the cut and the optimizer. */
export interface SelectStepperOptions extends Pick<StepOptions, 'classWeights' | 'labelSmoothing' | 'output'> {
  choice: RuntimeChoice;
  seed: number;
  /** Intra-op threads; default: every core the machine reports (the step has the machine to itself). */
  threads?: number;
  loadOnnx?: () => Promise<OnnxRuntimeStatus>;
}

/** The stepper picked (dispose it after the stage), and why ONNX Runtime was not used. */
export interface SelectedStepper {
  stepper: SuffixStepper;
  fallbackReason: string | null;
  dispose(): Promise<void>;
}

/**
 * Picks what trains a stage: ONNX Runtime when it loads and the trainable part has an ONNX
 * form and gradient for every op (the forward and backward passes on the faster runtime),
 * tfjs otherwise — with the reason, for the run's events. `tfjs` never tries ONNX Runtime.
 */
export async function selectStepper(tf: Tf, cut: FreezeCut, optimizer: Optimizer, options: SelectStepperOptions): Promise<SelectedStepper> {
  const stepOptions: StepOptions = { ...options, fromLogits: cut.fromLogits, asLogits: cut.asLogits };
  const onTfjs = (reason: string | null): SelectedStepper => ({ stepper: tfjsStepper(tf, cut.suffix, optimizer, stepOptions), fallbackReason: reason, dispose: async () => undefined });
  if (options.choice === 'tfjs') return onTfjs(null);
  const why = cannotTrainOnOnnx(cut);
  if (why) return onTfjs(why);
  const status = await (options.loadOnnx ?? onnxRuntimeOnce)();
  if (!status.available) return onTfjs(status.error);
  try {
    const threads = options.threads ?? machineThreads();
    const stepper = await createOnnxStepper(tf, status.runtime, cut.suffix, optimizer, { ...options, threads });
    return { stepper, fallbackReason: null, dispose: () => stepper.dispose() };
  } catch (error) {
    const reason = error instanceof GraftError ? error.details.reason : undefined;
    if (reason !== 'onnx-untrainable' && reason !== 'onnx-unsupported-layer') throw error;
    return onTfjs(error instanceof Error ? error.message : String(error));
  }
}

/** Why a cut's trainable part cannot train on ONNX Runtime before any graph is built, or null. */
function cannotTrainOnOnnx(cut: FreezeCut): string | null {
  if (!cut.fromLogits) return 'the model does not end in a softmax or sigmoid Dense layer';
  if (cut.batchStatistics) return 'a trainable BatchNormalization uses batch statistics';
  // The step graph draws Dropout masks only; other layers random in training stay on tfjs.
  const noise = cut.suffix.layers.find((l) => STOCHASTIC.has(l.getClassName()) && l.getClassName() !== 'Dropout');
  return noise ? `layer "${noise.name}" (${noise.getClassName()}) draws noise in training` : null;
}
