import { createInferenceModels } from '../inference/acquire-model';
import { createClassifyHandler } from '../requests/classify';
import { createEmbedHandler } from '../requests/embed';
import { createModelSummaryHandler } from '../requests/model-summary';
import { createOnnxCheckHandler } from '../requests/onnx-check';
import { runSelfTest } from '../requests/self-test';
import { runEvaluate } from '../requests/evaluate';
import { runLrFind } from '../requests/lr-find';
import { runAugmentPreview } from '../requests/augment-preview';
import { runGradCam } from '../requests/grad-cam';
import { runDownloadWeights } from '../requests/download-weights';
import { runWeightsStatus } from '../requests/weights-status';
import { runExport } from '../requests/export';
import { runTrain } from '../requests/train';
import { runPredict } from '../requests/predict';
import { runInspectModel } from '../requests/inspect-model';
import type { EngineHandlers } from './engine-context';

/** The engine's request handlers over one model cache, which shutdown disposes. */
export function createEngineHandlers(): EngineHandlers {
  // Models built for classify/embed, kept for the life of the process so repeated calls skip the build.
  const models = createInferenceModels();
  return {
    handlers: {
      selfTest: runSelfTest,
      classify: createClassifyHandler(models),
      embed: createEmbedHandler(models),
      modelSummary: createModelSummaryHandler(),
      train: runTrain,
      evaluate: runEvaluate,
      lrFind: runLrFind,
      augmentPreview: runAugmentPreview,
      gradCam: runGradCam,
      downloadWeights: runDownloadWeights,
      weightsStatus: runWeightsStatus,
      export: runExport,
      onnxCheck: createOnnxCheckHandler(),
      predict: runPredict,
      inspectModel: runInspectModel,
    },
    dispose: () => models.dispose(),
  };
}
