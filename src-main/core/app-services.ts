import { createDispatcher, type Dispatcher } from '../api/dispatcher';
import type { Disposable } from '../base/lifecycle';
import { createHandlers } from './api/handlers';
import { AppContext, type AppContextOptions } from './app-context';

/** Everything a host needs from the main side: the services and the dispatcher its transport feeds. */
export interface AppServices extends Disposable {
  readonly ctx: AppContext;
  readonly dispatcher: Dispatcher;
  /** Stops jobs, the engine, and closes the project. */
  dispose(): Promise<void>;
}

/**
 * The one composition root of the main side, used by the desktop app and by `graft serve`
 * alike: builds the services, wires every handler of the contract into one dispatcher, and
 * starts the engine in the background so the first job does not wait for it (unless
 * `lazyEngine`: a CLI verb that may never need it starts it on its first request).
 */
export function createAppServices(options: AppContextOptions & { projectDir?: string; lazyEngine?: boolean }): AppServices {
  const ctx = new AppContext(options);
  try {
    if (options.projectDir) ctx.session.open(options.projectDir);
  } catch (error) {
    void ctx.dispose();
    throw error;
  }
  const dispatcher = createDispatcher(createHandlers(ctx), options.logError);
  if (!options.lazyEngine) void ctx.engine.start().catch((error: unknown) => options.logError('the engine failed to start', error));
  return { ctx, dispatcher, dispose: () => ctx.dispose() };
}
