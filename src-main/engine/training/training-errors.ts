import { GraftError } from '../../api/errors';
import type { TrainingConfig } from '../../api/types/runs';
import { errnoCode } from '../../base/fs-errors';

const OUT_OF_MEMORY = /out of memory|failed to allocate|allocation failed|invalid typed array length|array buffer allocation|RESOURCE_EXHAUSTED|\bOOM\b/i;

/**
 * Turns what a machine's limits throw during training into a message that says what to do:
 * out of memory → a smaller batch or input size; a full disk → free space and resume.
 * Anything else is returned unchanged.
 */
export function explainTrainingError(error: unknown, config: TrainingConfig): unknown {
  if (error instanceof GraftError) return error;
  const code = errnoCode(error);
  if (code === 'ENOSPC') {
    return new GraftError('io', 'The disk is full: the activation cache or a checkpoint could not be written. Free some space, then resume the run (it continues from its last checkpoint).');
  }
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ENOMEM' || OUT_OF_MEMORY.test(message)) {
    const smaller = Math.max(1, Math.floor(config.batchSize / 2));
    return new GraftError(
      'bad-request',
      `Training ran out of memory (batch size ${config.batchSize}, input ${config.base.inputSize ?? 'default'} px). Lower the batch size (try ${smaller}) or the input size, then train again.`,
      { reason: 'out-of-memory', cause: message },
    );
  }
  return error;
}
