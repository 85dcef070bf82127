import type { FreezePlan, RunStage, TrainingConfig } from '../../api/types/runs';
import { unfreezesBase } from './freeze-plan';

/** One stage of a run: what trains, for how many epochs, from which learning rate. */
export interface StagePlan {
  stage: RunStage;
  plan: FreezePlan;
  epochs: number;
  learningRate: number;
}

/**
 * The stages of a run. With the two-stage recipe (and a plan that unfreezes part of the
 * base): the head alone on the frozen base for `epochs`, then the plan's blocks for
 * `fineTuneEpochs` at the learning rate × `lrFactor` (0.1 unless set). Otherwise one stage.
 */
export function planStages(config: TrainingConfig): StagePlan[] {
  const lr = config.optimizer.learningRate;
  if (!unfreezesBase(config.freeze)) return [{ stage: 'head', plan: config.freeze, epochs: config.epochs, learningRate: lr }];
  if (!config.twoStage) return [{ stage: 'fine-tune', plan: config.freeze, epochs: config.epochs, learningRate: lr }];
  return [
    { stage: 'head', plan: { kind: 'head-only' }, epochs: config.epochs, learningRate: lr },
    { stage: 'fine-tune', plan: config.freeze, epochs: config.twoStage.fineTuneEpochs, learningRate: lr * (config.twoStage.lrFactor ?? 0.1) },
  ];
}

/** Epochs of the whole run, over every stage. */
export function totalEpochs(stages: readonly StagePlan[]): number {
  return stages.reduce((n, s) => n + s.epochs, 0);
}
