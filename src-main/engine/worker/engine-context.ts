import type { EngineProgress, EngineRequestName, EngineRequests } from '../protocol';
import type { Tf } from '../backend';

/** What a handler gets besides its params: tfjs, a cancel signal and a progress reporter. */
export interface EngineContext {
  tf: Tf;
  backend: string;
  signal: AbortSignal;
  progress(progress: EngineProgress): void;
}

/** One handler per engine request. */
export type EngineHandlers = {
  [N in EngineRequestName]: (
    params: EngineRequests[N]['params'],
    ctx: EngineContext,
  ) => Promise<EngineRequests[N]['result']>;
};
