import { describe, expect, it } from 'vitest';
import { GraftError } from '../../api/errors';
import { ModelCache } from './model-cache';

/** A stand-in model that records its disposal. */
class Fake {
  disposed = false;
  constructor(readonly name: string) {}
  dispose(): void {
    this.disposed = true;
  }
}

function counting(): { create: (name: string) => () => Promise<Fake>; builds: string[] } {
  const builds: string[] = [];
  return {
    builds,
    create: (name) => async () => {
      builds.push(name);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return new Fake(name);
    },
  };
}

describe('ModelCache', () => {
  it('builds once per key, shares a build in progress and reuses the result', async () => {
    const cache = new ModelCache<Fake>();
    const { create, builds } = counting();
    const [a, b] = await Promise.all([cache.acquire('a', create('a')), cache.acquire('a', create('a'))]);
    expect(a.value).toBe(b.value);
    a.release();
    b.release();
    const again = await cache.acquire('a', create('a'));
    expect(again.value).toBe(a.value);
    expect(builds).toEqual(['a']);
  });

  it('disposes the least recently used idle model beyond capacity, never one in use', async () => {
    const cache = new ModelCache<Fake>(2);
    const { create } = counting();
    const a = await cache.acquire('a', create('a'));
    const b = await cache.acquire('b', create('b'));
    b.release();
    const c = await cache.acquire('c', create('c'));
    // 'a' is older but lent out, so 'b' goes.
    expect(a.value.disposed).toBe(false);
    expect(b.value.disposed).toBe(true);
    expect(cache.size).toBe(2);
    a.release();
    c.release();
    a.release(); // a second release is ignored
    const d = await cache.acquire('d', create('d'));
    expect(a.value.disposed).toBe(true);
    expect(c.value.disposed).toBe(false);
    d.release();
    cache.dispose();
    expect(c.value.disposed && d.value.disposed).toBe(true);
  });

  it('does not keep a failed build', async () => {
    const cache = new ModelCache<Fake>();
    let tries = 0;
    const flaky = async () => {
      tries += 1;
      if (tries === 1) throw new GraftError('io', 'offline');
      return new Fake('ok');
    };
    await expect(cache.acquire('k', flaky)).rejects.toThrow('offline');
    expect(cache.size).toBe(0);
    expect((await cache.acquire('k', flaky)).value.name).toBe('ok');
  });

  it('starts a shared build again for a request that was not the one cancelled', async () => {
    const cache = new ModelCache<Fake>();
    const first = new AbortController();
    let builds = 0;
    const create = (signal: AbortSignal) => async () => {
      builds += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (signal.aborted) throw new GraftError('cancelled', 'Cancelled.');
      return new Fake(`build ${builds}`);
    };
    const cancelled = cache.acquire('k', create(first.signal), first.signal);
    const other = cache.acquire('k', create(new AbortController().signal));
    first.abort();
    await expect(cancelled).rejects.toMatchObject({ code: 'cancelled' });
    expect((await other).value.name).toBe('build 2');
  });
});
