import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debounce } from './debounce';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('debounce', () => {
  it('runs once after the calls pause, with the last arguments', () => {
    const seen: string[] = [];
    const typed = debounce((text: string) => seen.push(text), 200);
    typed('c');
    vi.advanceTimersByTime(150);
    typed('ca');
    vi.advanceTimersByTime(150);
    typed('cat');
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(200);
    expect(seen).toEqual(['cat']);
  });

  it('flushes a pending call at once and cancels one', () => {
    const seen: string[] = [];
    const typed = debounce((text: string) => seen.push(text), 200);
    typed('dog');
    typed.flush();
    expect(seen).toEqual(['dog']);
    typed.flush();
    expect(seen).toEqual(['dog']);
    typed('bird');
    typed.cancel();
    vi.advanceTimersByTime(500);
    expect(seen).toEqual(['dog']);
  });
});
