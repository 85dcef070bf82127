import { describe, expect, it } from 'vitest';
import { PagedList } from './paged-images';

function source(total: number) {
  const calls: number[] = [];
  const fetch = async (offset: number, limit: number) => {
    calls.push(offset);
    const items = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => offset + i);
    return { total, items };
  };
  return { calls, fetch };
}

describe('PagedList', () => {
  it('loads only the pages a range covers, once each', async () => {
    const { calls, fetch } = source(10_000);
    const list = new PagedList(fetch, 100);
    await list.reset();
    expect(list.total).toBe(10_000);
    await Promise.all([list.ensure(150, 420), list.ensure(390, 399)]);
    expect(calls).toEqual([0, 100, 200, 300, 400]);
    expect(list.at(420)).toBe(420);
    expect(list.at(9_999)).toBeNull();
    await list.ensure(9_950, 9_999);
    expect(list.at(9_999)).toBe(9_999);
  });

  it('drops replies from before a reset', async () => {
    let total = 50;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const list = new PagedList(async (offset, limit) => {
      const snapshot = total;
      if (snapshot === 50) await gate;
      return { total: snapshot, items: Array.from({ length: Math.min(limit, snapshot - offset) }, (_, i) => `${snapshot}:${offset + i}`) };
    }, 10);
    const stale = list.ensure(0, 5);
    total = 20;
    await list.reset();
    release();
    await stale;
    expect(list.total).toBe(20);
    expect(list.at(0)).toBe('20:0');
  });

  it('refresh swaps in fresh pages at once and drops pages outside the range', async () => {
    let version = 1;
    const list = new PagedList(async (offset, limit) => ({ total: 30, items: Array.from({ length: Math.min(limit, 30 - offset) }, (_, i) => `${version}:${offset + i}`) }), 10);
    await list.ensure(0, 29);
    version = 2;
    const refreshing = list.refresh(10, 15);
    expect(list.at(12)).toBe('1:12');
    await refreshing;
    expect(list.at(12)).toBe('2:12');
    expect(list.at(25)).toBeNull();
  });
});
