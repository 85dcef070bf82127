// Test support: an EngineContext for calling request handlers in the test's own process.
import type { TfBackendName } from '../../../api/types/app';
import type { Tf } from '../../backend';
import type { EngineEvent, EngineRequestName } from '../../protocol';
import type { EngineContext } from '../../worker/engine-context';

/** A context on the given tfjs whose events are recorded and whose checkpoint only yields. */
export function testContext<N extends EngineRequestName>(tf: Tf, signal = new AbortController().signal): EngineContext<N> & { events: EngineEvent<N>[] } {
  const events: EngineEvent<N>[] = [];
  return {
    tf,
    backend: tf.getBackend() as TfBackendName,
    signal,
    events,
    emit: (event) => events.push(event),
    checkpoint: () => new Promise((resolve) => setImmediate(resolve)),
  };
}
