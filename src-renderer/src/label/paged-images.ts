/** One page fetch: items from `offset`, and the total matching the filter. */
export type PageFetcher<T> = (offset: number, limit: number) => Promise<{ total: number; items: T[] }>;

/**
 * A sparse cache over a long filtered list, filled a page at a time as the virtual grid
 * scrolls: only visible pages are fetched, each once; `reset` drops everything when the
 * filter or the data changes.
 */
export class PagedList<T> {
  total = 0;
  private readonly pages = new Map<number, T[]>();
  private readonly loading = new Map<number, Promise<void>>();
  private generation = 0;

  constructor(
    private readonly fetch: PageFetcher<T>,
    readonly pageSize = 200,
    private readonly onChange: () => void = () => {},
  ) {}

  /** The item at a position, or null while its page loads (the cell shows a placeholder). */
  at(index: number): T | null {
    const page = this.pages.get(Math.floor(index / this.pageSize));
    return page?.[index % this.pageSize] ?? null;
  }

  /** Makes sure the pages covering [from, to] are loaded or loading. */
  ensure(from: number, to: number): Promise<void> {
    const first = Math.max(0, Math.floor(from / this.pageSize));
    const last = Math.max(first, Math.floor(to / this.pageSize));
    const waits: Promise<void>[] = [];
    for (let page = first; page <= last; page++) waits.push(this.load(page));
    return Promise.all(waits).then(() => undefined);
  }

  /**
   * Re-reads the pages covering [from, to] after the data changed, then swaps them in at
   * once and forgets the rest: the grid keeps showing the old page until the new one is
   * there, so a label keystroke never flashes placeholders.
   */
  async refresh(from: number, to: number): Promise<void> {
    const generation = ++this.generation;
    this.loading.clear();
    const first = Math.max(0, Math.floor(from / this.pageSize));
    const last = Math.max(first, Math.floor(to / this.pageSize));
    const fresh = new Map<number, T[]>();
    let total = this.total;
    await Promise.all(
      Array.from({ length: last - first + 1 }, async (_, k) => {
        const page = await this.fetch((first + k) * this.pageSize, this.pageSize);
        fresh.set(first + k, page.items);
        total = page.total;
      }),
    );
    if (generation !== this.generation) return;
    this.total = total;
    this.pages.clear();
    for (const [page, items] of fresh) this.pages.set(page, items);
    this.onChange();
  }

  /** Forgets every page and reloads the first; stale replies of earlier generations are dropped. */
  async reset(): Promise<void> {
    this.generation++;
    this.pages.clear();
    this.loading.clear();
    await this.load(0);
  }

  private load(page: number): Promise<void> {
    if (this.pages.has(page)) return Promise.resolve();
    const existing = this.loading.get(page);
    if (existing) return existing;
    const generation = this.generation;
    const promise = this.fetch(page * this.pageSize, this.pageSize).then(({ total, items }) => {
      if (generation !== this.generation) return;
      this.total = total;
      this.pages.set(page, items);
      this.loading.delete(page);
      this.onChange();
    });
    this.loading.set(page, promise);
    return promise;
  }
}
