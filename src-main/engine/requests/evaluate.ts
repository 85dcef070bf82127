import type { SplitEvaluation } from '../../api/types/runs';
import { machineThreads } from '../onnx/ort-session';
import { createFrozenForward } from '../onnx/select-frozen-forward';
import type { EngineEvaluateParams } from '../protocol';
import { loadCheckpoint } from '../training/checkpoint';
import { evaluateModel } from '../training/evaluate-model';
import { inputSizeOf, scalingOf } from '../training/training-base';
import type { EngineContext } from '../worker/engine-context';

/** Images per forward pass when evaluating. */
const EVALUATE_BATCH_SIZE = 16;

/**
 * The engine's `evaluate` request: a run's checkpoint (read back from disk, the source of
 * truth) run over one split's images — on ONNX Runtime where it loads — with metrics and
 * per-image predictions.
 */
export async function runEvaluate(params: EngineEvaluateParams, ctx: EngineContext<'evaluate'>): Promise<SplitEvaluation> {
  const { model } = await loadCheckpoint(ctx.tf, params.runDir, params.checkpoint);
  try {
    const { forward } = await createFrozenForward(ctx.tf, model, { choice: params.config.runtime, threads: machineThreads() });
    try {
      return await evaluateModel(
        forward,
        params.images,
        {
          split: params.split,
          checkpoint: params.checkpoint,
          classes: params.classes.length,
          inputSize: inputSizeOf(params.config.base),
          scaling: scalingOf(params.config.base),
          batchSize: EVALUATE_BATCH_SIZE,
        },
        { checkpoint: ctx.checkpoint, onProgress: (done, total) => ctx.emit({ done, total, message: `Evaluated ${done} of ${total} images` }) },
      );
    } finally {
      forward.dispose();
    }
  } finally {
    model.dispose();
  }
}
