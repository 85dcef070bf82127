/**
 * A small seeded pseudo-random generator (mulberry32) and seed derivation, so that shuffles,
 * splits and augmentation variants are reproducible from a run's seed. Not cryptographic.
 */

/** A seeded stream of pseudo-random numbers. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [low, high). */
  uniform(low: number, high: number): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Normally distributed (Box–Muller). */
  normal(mean?: number, std?: number): number;
  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
  /** An independent stream named `key`, derived from this stream's seed (does not advance this stream). */
  fork(key: string | number): Rng;
}

const GOLDEN = 0x9e3779b9;

/** murmur3's 32-bit finaliser: spreads every input bit over the output. */
function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** FNV-1a over the UTF-16 code units of a string. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function hashPart(part: string | number): number {
  if (typeof part === 'string') return hashString(part);
  if (!Number.isFinite(part)) throw new RangeError(`Seed parts must be finite numbers; got ${part}.`);
  // Integers hash by value (beyond 32 bits too); fractions by their text, which is exact enough here.
  if (Number.isInteger(part)) return mix32((part >>> 0) ^ mix32(Math.floor(part / 2 ** 32) >>> 0));
  return hashString(String(part));
}

/**
 * A 32-bit seed from a base seed and any number of keys, e.g. (runSeed, imageHash, variant).
 * Order matters; different keys give unrelated seeds.
 */
export function deriveSeed(seed: number, ...keys: (string | number)[]): number {
  let h = mix32(hashPart(seed) + GOLDEN);
  for (const key of keys) h = mix32((h ^ hashPart(key)) + GOLDEN + (h << 6) + (h >>> 2));
  return h >>> 0;
}

/** A generator seeded with `seed` (any finite number; non-integers and big values are hashed). */
export function createRng(seed: number): Rng {
  const origin = Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32 ? seed >>> 0 : deriveSeed(seed);
  let state = origin;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng: Rng = {
    next,
    uniform: (low, high) => low + (high - low) * next(),
    int: (n) => {
      if (!Number.isInteger(n) || n <= 0) throw new RangeError(`int(n) needs a positive integer; got ${n}.`);
      return Math.floor(next() * n);
    },
    normal: (mean = 0, std = 1) => {
      // 1 − u is in (0, 1], so the logarithm is finite.
      const u = 1 - next();
      const v = next();
      return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const held = items[i]!;
        items[i] = items[j]!;
        items[j] = held;
      }
      return items;
    },
    fork: (key) => createRng(deriveSeed(origin, 'fork', key)),
  };
  return rng;
}
