import type { Disposable } from '../../base/lifecycle';

/** Names a per-project resource and says how to make it for a project. */
export interface ResourceKey<T extends Disposable, P> {
  readonly name: string;
  create(project: P): T;
}

/** Declares a per-project resource (a thumbnail queue, the import lock, later the run registry). */
export function projectResource<T extends Disposable, P>(name: string, create: (project: P) => T): ResourceKey<T, P> {
  return { name, create };
}

/**
 * The resources one open project owns: each is made on first use and disposed, newest
 * first, when the project closes — so nothing outlives the project it belongs to.
 */
export class ProjectResources<P> implements Disposable {
  private readonly made = new Map<ResourceKey<Disposable, P>, Disposable>();
  private closed = false;

  constructor(private readonly owner: P) {}

  /** The project's instance of `key`, made now if this is the first use. */
  get<T extends Disposable>(key: ResourceKey<T, P>): T {
    if (this.closed) throw new Error(`The project is closed; ${key.name} is no longer available.`);
    let value = this.made.get(key as ResourceKey<Disposable, P>) as T | undefined;
    if (!value) {
      value = key.create(this.owner);
      this.made.set(key as ResourceKey<Disposable, P>, value);
    }
    return value;
  }

  /** Disposes every resource made, newest first. */
  dispose(): void {
    this.closed = true;
    for (const value of [...this.made.values()].reverse()) void value.dispose();
    this.made.clear();
  }
}
