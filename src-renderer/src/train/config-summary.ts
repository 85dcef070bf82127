/** A run's config in one line of words, for the wizard's bar: "MobileNetV2 · bundled · 224 px · head only · 10 epochs". */
import type { FreezePlan, TrainingConfig } from '../../../src-main/api/types/runs';

/** The freeze plan in words. */
export function describeFreeze(plan: FreezePlan): string {
  switch (plan.kind) {
    case 'head-only':
      return 'head only';
    case 'all':
      return 'every layer trains';
    case 'from':
      return `from ${plan.block} on`;
    case 'blocks':
      return plan.blocks.length === 1 ? `block ${plan.blocks[0]}` : `${plan.blocks.length} blocks`;
    case 'layers':
      return `${plan.layers.length} ${plan.layers.length === 1 ? 'layer' : 'layers'}`;
  }
}

/** The whole config, short. */
export function describeConfig(config: TrainingConfig, archName: string): string {
  const words = { bundled: 'bundled', imagenet: 'ImageNet', none: 'from scratch' } as const;
  const weights = typeof config.base.weights === 'object' ? 'weights file' : words[config.base.weights];
  const epochs = config.twoStage && config.freeze.kind !== 'head-only' ? `${config.epochs} + ${config.twoStage.fineTuneEpochs} epochs` : `${config.epochs} ${config.epochs === 1 ? 'epoch' : 'epochs'}`;
  return [archName, weights, `${config.base.inputSize ?? '?'} px`, describeFreeze(config.freeze), epochs].join(' · ');
}
