import type { SplitName } from '../../api/types/library';
import type { RunImage, SplitEvaluation } from '../../api/types/runs';
import type { FrozenForward } from '../inference/frozen-forward';
import type { InputScaling } from '../inference/inference-model';
import { argmaxRows, classificationReport, perSampleLoss } from './metrics';
import { predictImages, type ImagePredictions } from './predict-images';

/** What evaluating a trained model needs besides the model: its input recipe and what it is. */
export interface EvaluationSetup {
  split: SplitName;
  checkpoint: 'best' | 'last';
  classes: number;
  inputSize: number;
  scaling: InputScaling;
  batchSize: number;
}

/**
 * Evaluates a trained model on one split: accuracy, per-class precision, recall and F1, the
 * confusion matrix, and each image's prediction (top class, its probability, the loss of the
 * true class, every class's probability) for the gallery and the relabelling that follow.
 */
export async function evaluateModel(
  forward: FrozenForward,
  images: readonly RunImage[],
  setup: EvaluationSetup,
  hooks: { checkpoint(): Promise<void>; onProgress?(done: number, total: number): void },
): Promise<SplitEvaluation> {
  const result = await predictImages(forward, images, { size: setup.inputSize, scaling: setup.scaling }, setup.batchSize, hooks);
  return evaluatePredictions(result, setup);
}

/** The evaluation of one split from each image's class probabilities (however they were computed). */
export function evaluatePredictions(result: Pick<ImagePredictions, 'images' | 'probabilities' | 'classes'>, setup: Pick<EvaluationSetup, 'split' | 'checkpoint' | 'classes'>): SplitEvaluation {
  const labels = result.images.map((image) => image.label);
  const predicted = argmaxRows(result.probabilities, result.classes);
  const losses = perSampleLoss(result.probabilities, result.classes, labels);
  const report = classificationReport(labels, predicted, Math.max(setup.classes, result.classes));
  return {
    split: setup.split,
    checkpoint: setup.checkpoint,
    report,
    predictions: result.images.map((image, i) => ({
      imageId: image.imageId,
      predicted: predicted[i]!,
      probability: result.probabilities[i * result.classes + predicted[i]!]!,
      loss: losses[i]!,
      probabilities: Array.from(result.probabilities.subarray(i * result.classes, (i + 1) * result.classes)),
    })),
  };
}
