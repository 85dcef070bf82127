// Test support: an in-process engine context for predict and inspectModel, over the global tfjs.
import * as tf from '@tensorflow/tfjs';
import { GraftError } from '../../../api/errors';
import type { Tf } from '../../backend';
import type { EngineContext } from '../../worker/engine-context';

/** A context recording events; `cancelAfter` makes the checkpoint call after that many throw 'cancelled'. */
export function predictContext<N extends 'predict' | 'inspectModel'>(events: unknown[] = [], options: { cancelAfter?: number } = {}): EngineContext<N> {
  const controller = new AbortController();
  let calls = 0;
  return {
    tf: tf as unknown as Tf,
    backend: tf.getBackend() as 'cpu',
    signal: controller.signal,
    emit: (event) => void events.push(event),
    checkpoint: async () => {
      calls += 1;
      if (options.cancelAfter !== undefined && calls > options.cancelAfter) {
        controller.abort();
        throw new GraftError('cancelled', 'Cancelled.');
      }
    },
  };
}
