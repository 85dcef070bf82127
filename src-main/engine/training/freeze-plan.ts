import type { LayersModel } from '@tensorflow/tfjs';
import { assertNever, GraftError } from '../../api/errors';
import type { ArchName } from '../../api/types/models';
import type { FreezePlan } from '../../api/types/runs';
import { blocksOf, HEAD_BLOCK } from '../models/blocks';
import { freezeAll, freezeUpTo, setBlockTrainable, setLayerTrainable, unfreezeAll } from '../models/freeze';

/**
 * Sets what trains in a model of base + head: the head always, and of the base what the plan
 * unfreezes. tfjs-layers captures trainable weights when a model is compiled or an optimizer
 * first minimises, so the caller makes a fresh optimizer after this.
 */
export function applyFreezePlan(model: LayersModel, arch: ArchName, plan: FreezePlan): void {
  const blocks = blocksOf(model, arch);
  const head = blocks.find((b) => b.name === HEAD_BLOCK);
  switch (plan.kind) {
    case 'all':
      unfreezeAll(model);
      return;
    case 'head-only':
      freezeAll(model);
      break;
    case 'from':
      freezeUpTo(model, arch, previousBlock(blocks.map((b) => b.name), plan.block));
      break;
    case 'blocks':
      freezeAll(model);
      for (const block of plan.blocks) setBlockTrainable(model, arch, block, true);
      break;
    case 'layers':
      freezeAll(model);
      for (const layer of plan.layers) setLayerTrainable(model, layer, true);
      break;
    default:
      assertNever(plan, 'freeze plan');
  }
  for (const name of head?.layers ?? []) setLayerTrainable(model, name, true);
}

/** True when the plan trains some of the base (the two-stage recipe applies). */
export function unfreezesBase(plan: FreezePlan): boolean {
  return plan.kind !== 'head-only';
}

/** The block before `block`, so that freezing up to it leaves `block` and later ones trainable. */
function previousBlock(names: readonly string[], block: string): string {
  const index = names.indexOf(block);
  if (index < 0) throw new GraftError('bad-request', `No block named "${block}". Blocks of this model: ${names.join(', ')}.`);
  if (index === 0) throw new GraftError('bad-request', `Unfreezing from "${block}" trains every block; choose the plan "all" instead.`);
  return names[index - 1]!;
}
