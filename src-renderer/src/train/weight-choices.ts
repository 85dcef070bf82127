/** The base model picker's cards: one per architecture and weight source, and what the draft's base is in those terms. */
import type { InferenceWeights } from '../../../src-main/api/types/inference';
import type { ArchName, ModelInfo } from '../../../src-main/api/types/models';

/** Where a base's weights come from, as the picker offers them. */
export type WeightChoice = 'bundled' | 'imagenet' | 'file' | 'none';

/** One card of the picker. */
export interface BaseCard {
  arch: ArchName;
  choice: WeightChoice;
  title: string;
  /** What the weights were trained on, in words. */
  trainedOn: string;
  /** Works without a network (bundled, a local file, random weights). */
  offline: boolean;
  /** The input size the weights were trained at (the size chosen with the card). */
  inputSize: number;
  /** The weights' licence, where they ship with the app. */
  license?: string;
}

/** The weight source a draft's weights value is. */
export function choiceOf(weights: InferenceWeights): WeightChoice {
  return typeof weights === 'object' ? 'file' : weights;
}

/** The weights value of a card (a file card keeps the path typed so far). */
export function weightsOf(choice: WeightChoice, filePath: string): InferenceWeights {
  return choice === 'file' ? { file: filePath } : choice;
}

/** The cards of one architecture, in the order bundled, ImageNet, file, from scratch. */
export function cardsOf(model: ModelInfo): BaseCard[] {
  const arch = model.arch as ArchName;
  const cards: BaseCard[] = [];
  if (model.bundled) {
    cards.push({
      arch,
      choice: 'bundled',
      title: 'Bundled',
      trainedOn: 'the nsfwjs 5-class content task, not ImageNet. Its convolutional trunk is a real pretrained feature extractor.',
      license: model.bundled.license,
      offline: true,
      inputSize: model.bundled.inputSize,
    });
  }
  if (model.weightSources.includes('imagenet')) {
    cards.push({ arch, choice: 'imagenet', title: 'ImageNet', trainedOn: "ImageNet's 1,000 everyday classes (Keras's weights).", offline: false, inputSize: model.defaultInputSize });
  }
  if (model.weightSources.includes('file')) {
    cards.push({ arch, choice: 'file', title: 'Weights file', trainedOn: 'Your own Keras .h5 or .keras file, or a tfjs model.json.', offline: true, inputSize: model.defaultInputSize });
  }
  cards.push({ arch, choice: 'none', title: 'From scratch', trainedOn: 'Random weights; every layer trains. Needs thousands of photos and long runs.', offline: true, inputSize: model.defaultInputSize });
  return cards;
}

/** Input sides offered as one-click choices for an architecture (its minimum and default included). */
export function quickSizes(model: ModelInfo): number[] {
  const sizes = new Set([96, 128, 160, 224, 299, model.defaultInputSize].filter((s) => s >= model.minInputSize));
  return [...sizes].sort((a, b) => a - b);
}
