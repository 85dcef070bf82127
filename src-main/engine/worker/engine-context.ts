import type { TfBackendName } from '../../api/types/app';
import type { Tf } from '../backend';
import type { EngineEvent, EngineParams, EngineRequestName, EngineResult } from '../protocol';

/** What a request handler gets besides its params: tfjs, cancel, pause and its event channel. */
export interface EngineContext<N extends EngineRequestName = EngineRequestName> {
  tf: Tf;
  backend: TfBackendName;
  signal: AbortSignal;
  /** Pushes an event of this request to the host (progress, metrics). */
  emit(event: EngineEvent<N>): void;
  /**
   * Called between steps (a batch, an iteration): throws the 'cancelled' error after a
   * cancel, holds while paused, and yields so control messages can arrive.
   */
  checkpoint(): Promise<void>;
}

/** The handler of request N: checked params in, result out. */
export type EngineHandler<N extends EngineRequestName> = (params: EngineParams<N>, ctx: EngineContext<N>) => Promise<EngineResult<N>>;

/** One handler per engine request, and what the worker must release when it shuts down. */
export interface EngineHandlers {
  handlers: { [N in EngineRequestName]: EngineHandler<N> };
  dispose(): void;
}
