import { describe, expect, it } from 'vitest';
import { coalesce, type CoalesceClock } from './coalesce';

/** A manual clock: time moves only when the test says so, timers fire in order. */
function manualClock() {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  const clock: CoalesceClock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (;;) {
      const due = timers.filter((t) => t.at <= now).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((t) => t !== due);
      due.fn();
    }
  };
  return { clock, advance };
}

describe('coalesce', () => {
  it('emits the first value at once and thins a burst to one value per interval', () => {
    const { clock, advance } = manualClock();
    const seen: number[] = [];
    const c = coalesce<number>(100, (v) => seen.push(v), clock);
    for (let i = 1; i <= 50; i++) {
      c.push(i);
      advance(5);
    }
    advance(200);
    // 250 ms of pushes every 5 ms: the leading value, then one per 100 ms, then the trailing latest.
    expect(seen[0]).toBe(1);
    expect(seen.at(-1)).toBe(50);
    expect(seen.length).toBeLessThanOrEqual(4);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('never loses the last value: a trailing emission carries it', () => {
    const { clock, advance } = manualClock();
    const seen: string[] = [];
    const c = coalesce<string>(100, (v) => seen.push(v), clock);
    c.push('a');
    c.push('b');
    c.push('c');
    expect(seen).toEqual(['a']);
    advance(100);
    expect(seen).toEqual(['a', 'c']);
  });

  it('flush emits what is kept now, and dispose drops it', () => {
    const { clock, advance } = manualClock();
    const seen: number[] = [];
    const c = coalesce<number>(100, (v) => seen.push(v), clock);
    c.push(1);
    c.push(2);
    c.flush();
    expect(seen).toEqual([1, 2]);
    c.push(3);
    c.dispose();
    advance(1000);
    c.push(4);
    expect(seen).toEqual([1, 2]);
  });
});
