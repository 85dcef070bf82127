import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from './rng';

function draws(seed: number, count: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => rng.next());
}

describe('createRng', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    expect(draws(42, 20)).toEqual(draws(42, 20));
    expect(draws(42, 20)).not.toEqual(draws(43, 20));
    // Seeds that are not 32-bit integers are hashed, still deterministically.
    expect(draws(-7.5, 5)).toEqual(draws(-7.5, 5));
    expect(draws(2 ** 40, 5)).not.toEqual(draws(0, 5));
  });

  it('draws uniformly in [0, 1)', () => {
    const values = draws(1, 20_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeCloseTo(0.5, 2);
    // Each tenth of the interval gets about a tenth of the draws (±10 % relative).
    const bins = new Array<number>(10).fill(0);
    for (const v of values) bins[Math.floor(v * 10)]!++;
    for (const count of bins) expect(Math.abs(count - 2000)).toBeLessThan(200);
  });

  it('uniform, int and normal have the asked range and moments', () => {
    const rng = createRng(7);
    const u = Array.from({ length: 5000 }, () => rng.uniform(-3, 5));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-3);
    expect(Math.max(...u)).toBeLessThan(5);
    const ints = Array.from({ length: 5000 }, () => rng.int(6));
    expect(new Set(ints)).toEqual(new Set([0, 1, 2, 3, 4, 5]));
    expect(() => rng.int(0)).toThrow(RangeError);
    const n = Array.from({ length: 20_000 }, () => rng.normal(2, 3));
    const mean = n.reduce((a, b) => a + b, 0) / n.length;
    const variance = n.reduce((a, b) => a + (b - mean) ** 2, 0) / n.length;
    expect(mean).toBeCloseTo(2, 1);
    expect(Math.sqrt(variance)).toBeCloseTo(3, 1);
    expect(n.every(Number.isFinite)).toBe(true);
  });

  it('shuffles into a permutation, reproducibly, reaching every order of three about equally', () => {
    const a = createRng(5).shuffle(Array.from({ length: 50 }, (_, i) => i));
    const b = createRng(5).shuffle(Array.from({ length: 50 }, (_, i) => i));
    expect(a).toEqual(b);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    const rng = createRng(9);
    const counts = new Map<string, number>();
    for (let i = 0; i < 6000; i++) {
      const key = rng.shuffle([0, 1, 2]).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const count of counts.values()) expect(Math.abs(count - 1000)).toBeLessThan(120);
  });

  it('forks independent named streams without advancing the parent', () => {
    const parent = createRng(11);
    const first = parent.fork('augment');
    const again = createRng(11).fork('augment');
    expect(Array.from({ length: 5 }, () => first.next())).toEqual(Array.from({ length: 5 }, () => again.next()));
    expect(parent.next()).toBe(createRng(11).next());
    const other = createRng(11).fork('shuffle');
    expect(other.next()).not.toBe(createRng(11).fork('augment').next());
  });
});

describe('deriveSeed', () => {
  it('is deterministic, 32-bit, and sensitive to every key and their order', () => {
    const seed = deriveSeed(1, 'abc', 0);
    expect(seed).toBe(deriveSeed(1, 'abc', 0));
    expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32).toBe(true);
    const variants = [deriveSeed(1, 'abc', 1), deriveSeed(2, 'abc', 0), deriveSeed(1, 'abd', 0), deriveSeed(1, 0, 'abc'), deriveSeed(1, 'abc')];
    for (const v of variants) expect(v).not.toBe(seed);
    expect(new Set(variants).size).toBe(variants.length);
  });

  it('spreads consecutive keys over unrelated seeds (no collisions in 10,000)', () => {
    const seeds = new Set(Array.from({ length: 10_000 }, (_, k) => deriveSeed(3, 'image', k)));
    expect(seeds.size).toBe(10_000);
    expect(() => deriveSeed(1, Number.NaN)).toThrow(RangeError);
  });
});
