import type { InspectModelParams, PredictModelInfo } from '../../api/types/predict';
import { locateModel } from '../predict/model-location';
import { preparePredictModel } from '../predict/prepare-model';
import type { EngineContext } from '../worker/engine-context';

/**
 * The engine's `inspectModel`: loads a model file or export folder as `predict` would (so a
 * model that imports is one that predicts) and says what it is — format, files, classes,
 * preprocessing and what was assumed. Layers models stay on tfjs here: no ONNX conversion.
 */
export async function runInspectModel(params: InspectModelParams, ctx: EngineContext<'inspectModel'>): Promise<PredictModelInfo> {
  const location = await locateModel(params.path);
  const prepared = await preparePredictModel(ctx.tf, { kind: 'file', ...params }, { runtime: location.format === 'onnx' ? 'onnx' : 'tfjs' });
  try {
    return prepared.info;
  } finally {
    prepared.dispose();
  }
}
