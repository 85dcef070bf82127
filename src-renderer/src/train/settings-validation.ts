/**
 * Inline validation of the wizard's fields, with the bounds of the main side's parsers
 * (src-main/api/params/training-params.ts). The renderer may import only types from there, so
 * the numbers are repeated here; keep them in step with the parsers (the dispatcher still has
 * the last word: a value it refuses comes back as a bad-request naming the field).
 */
import type { TrainingConfig } from '../../../src-main/api/types/runs';
import type { NumberBound } from '../components/number-check';

/** Every numeric setting of a run and its accepted range (inclusive), as the parsers check them. */
export const BOUNDS = {
  epochs: { min: 1, max: 10_000, integer: true },
  batchSize: { min: 1, max: 4096, integer: true },
  learningRate: { min: 1e-10, max: 10 },
  fineTuneEpochs: { min: 1, max: 10_000, integer: true },
  lrFactor: { min: 1e-6, max: 1 },
  labelSmoothing: { min: 0, max: 0.5 },
  seed: { min: 0, max: 2 ** 32 - 1, integer: true },
  dropout: { min: 0, max: 0.95 },
  units: { min: 1, max: 65_536, integer: true },
  momentum: { min: 0, max: 0.9999 },
  beta1: { min: 0, max: 0.9999 },
  beta2: { min: 0, max: 0.999999 },
  rho: { min: 0, max: 0.9999 },
  epsilon: { min: 0, max: 1 },
  warmupEpochs: { min: 0, max: 1000 },
  minLrFraction: { min: 0, max: 1 },
  stepEvery: { min: 1, max: 1000, integer: true },
  stepFactor: { min: 1e-6, max: 1 },
  pctStart: { min: 0.01, max: 0.99 },
  divFactor: { min: 1, max: 1e6 },
  finalDivFactor: { min: 1, max: 1e9 },
  patience: { min: 0, max: 1000, integer: true },
  minDelta: { min: 0, max: 1e6 },
  startFromEpoch: { min: 0, max: 10_000, integer: true },
  rotationDegrees: { min: 0, max: 180 },
  zoom: { min: 0, max: 0.9 },
  brightness: { min: 0, max: 1 },
  contrast: { min: 0, max: 1 },
  hue: { min: 0, max: 0.5 },
  fillValue: { min: 0, max: 255 },
  variants: { min: 1, max: 64, integer: true },
  inputSize: { min: 1, max: 4096, integer: true },
} as const satisfies Record<string, NumberBound>;

/** The most dense layers a head may have (the parser's `maxItems`). */
export const MAX_HEAD_LAYERS = 8;

/** A problem with the whole config that no single field shows, with the step that fixes it. */
export interface ConfigProblem {
  step: 'base' | 'layers' | 'settings';
  message: string;
}

/** What the cross-field checks need to know beyond the config. */
export interface ConfigContext {
  /** Smallest input side of the chosen architecture. */
  minInputSize: number | null;
  /** Classes the run will train on; null while unknown. */
  classes: number | null;
}

/** Checks what spans fields (input size per architecture, sigmoid needs two classes, a weights file named). */
export function configProblems(config: TrainingConfig, context: ConfigContext): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const size = config.base.inputSize;
  if (size !== undefined && context.minInputSize !== null && size < context.minInputSize) {
    problems.push({ step: 'base', message: `The input size must be at least ${context.minInputSize} px for this architecture.` });
  }
  if (typeof config.base.weights === 'object' && config.base.weights.file.trim() === '') {
    problems.push({ step: 'base', message: 'Name the weights file, or choose another weight source.' });
  }
  if (config.head.output === 'sigmoid' && context.classes !== null && context.classes !== 2) {
    problems.push({ step: 'settings', message: `A sigmoid output needs exactly two classes; this project has ${context.classes}. Use softmax.` });
  }
  if (config.head.layers.length > MAX_HEAD_LAYERS) problems.push({ step: 'settings', message: `A head has at most ${MAX_HEAD_LAYERS} dense layers.` });
  if (config.base.weights === 'none' && config.freeze.kind !== 'all') {
    problems.push({ step: 'layers', message: 'Without pretrained weights the base is random: train every layer (preset "Everything"), or choose pretrained weights.' });
  }
  return problems;
}
