/** Anything that owns a handle (database, process, server, tensors) and must release it. */
export interface Disposable {
  dispose(): void | Promise<void>;
}

/** Owns several disposables and releases them in reverse order of adding. */
export class DisposableStore implements Disposable {
  private readonly items: Disposable[] = [];
  private disposed = false;

  /** Adds an item; returns it so construction and ownership read as one line. */
  add<T extends Disposable>(item: T): T {
    if (this.disposed) throw new Error('DisposableStore already disposed');
    this.items.push(item);
    return item;
  }

  /** Releases everything, last added first; safe to call twice. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const item of this.items.reverse()) await item.dispose();
  }
}

/** Wraps a function as a Disposable. */
export function toDisposable(fn: () => void | Promise<void>): Disposable {
  return { dispose: fn };
}
