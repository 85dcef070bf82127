import type { HostMode } from '../api/types/app';
import type { ErrorLogger } from '../api/dispatcher';
import { EventBus } from '../api/event-bus';
import { EngineClient } from '../engine/host/engine-client';
import type { EngineSpawner } from '../engine/host/engine-process';
import { JobRegistry } from './jobs/job-registry';
import { ProjectSession } from './project-session';
import { DisposableStore, toDisposable, type Disposable } from '../base/lifecycle';

/** What the host (Electron or `graft serve`) supplies. */
export interface AppContextOptions {
  mode: HostMode;
  spawnEngine: EngineSpawner;
  /** A native folder picker, where the host has one. */
  pickFolder?: () => Promise<string | null>;
  logError: ErrorLogger;
}

/** Every main-side service of one app instance, with one owner for disposal. */
export class AppContext implements Disposable {
  readonly bus = new EventBus();
  readonly session: ProjectSession;
  readonly engine: EngineClient;
  readonly jobs: JobRegistry;
  private readonly store = new DisposableStore();

  constructor(readonly options: AppContextOptions) {
    this.session = this.store.add(new ProjectSession());
    this.engine = this.store.add(
      new EngineClient(options.spawnEngine, { onStatus: (status) => this.bus.emit('engine.status', status) }),
    );
    this.jobs = new JobRegistry(this.bus, { logError: options.logError });
    // Added last, so disposed first: jobs stop and finish their batch before the database closes.
    this.store.add(toDisposable(() => this.jobs.stopAll()));
  }

  /** Stops jobs, the engine and closes the project. */
  dispose(): Promise<void> {
    return this.store.dispose();
  }
}
