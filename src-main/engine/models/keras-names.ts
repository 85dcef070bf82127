/**
 * Keras gives unnamed layers automatic names from a per-class counter. Keras 2 counted from 1
 * (`conv2d_1`, `conv2d_2`, …): the classic InceptionV3 weight file and nsfwjs use that. Keras 3
 * (and tf.keras 2.x) count from 0 with a bare first name (`conv2d`, `conv2d_1`, …).
 */
export type KerasNaming = 'keras2' | 'keras3';

/** Both naming schemes, for validation and help text. */
export const KERAS_NAMINGS: readonly KerasNaming[] = ['keras2', 'keras3'];

/** True when `value` is a naming scheme. */
export function isKerasNaming(value: unknown): value is KerasNaming {
  return value === 'keras2' || value === 'keras3';
}

/** Hands out Keras's automatic layer names in creation order, one counter per prefix. */
export class KerasAutoNamer {
  private readonly counts = new Map<string, number>();

  constructor(readonly naming: KerasNaming) {}

  /** The next automatic name for `prefix` (e.g. 'conv2d'). */
  next(prefix: string): string {
    const index = this.counts.get(prefix) ?? 0;
    this.counts.set(prefix, index + 1);
    return autoName(prefix, index, this.naming);
  }

  /** The name of the model's input layer. */
  input(): string {
    return this.naming === 'keras2' ? this.next('input') : 'input_layer';
  }
}

/** The automatic name of the `index`-th (0-based) layer with `prefix` under `naming`. */
export function autoName(prefix: string, index: number, naming: KerasNaming): string {
  if (naming === 'keras2') return `${prefix}_${index + 1}`;
  return index === 0 ? prefix : `${prefix}_${index}`;
}

/** Splits an automatic name into prefix and number (`conv2d` → number 0, `conv2d_7` → 7). */
export function parseAutoName(name: string, prefixes: readonly string[]): { prefix: string; number: number } | null {
  for (const prefix of prefixes) {
    if (name === prefix) return { prefix, number: 0 };
    if (name.startsWith(`${prefix}_`)) {
      const rest = name.slice(prefix.length + 1);
      if (/^\d+$/.test(rest)) return { prefix, number: Number(rest) };
    }
  }
  return null;
}

/**
 * Maps each of `ours` to the matching name in `theirs` for weight loading by name. Explicit
 * names (`mixed0`, `block1_conv1`) match themselves; automatic names match by rank within
 * their prefix, so any numbering works (Keras 2 or 3, or a counter offset because other models
 * were built first in the session that saved the file). A prefix whose counts differ is left
 * out, so the loader reports those layers as missing rather than loading the wrong ones.
 */
export function alignNames(
  ours: Iterable<string>,
  theirs: Iterable<string>,
  prefixes: readonly string[] = NUMBERED_PREFIXES,
): Map<string, string> {
  const theirSet = new Set(theirs);
  const result = new Map<string, string>();
  const oursByPrefix = groupByPrefix(ours, prefixes);
  const theirsByPrefix = groupByPrefix(theirSet, prefixes);
  for (const name of oursByPrefix.explicit) if (theirSet.has(name)) result.set(name, name);
  for (const [prefix, mine] of oursByPrefix.numbered) {
    const other = theirsByPrefix.numbered.get(prefix) ?? [];
    if (other.length !== mine.length) continue;
    mine.forEach((entry, i) => result.set(entry.name, other[i]!.name));
  }
  return result;
}

/** Prefixes of the automatic names that appear in Keras Applications models. */
export const NUMBERED_PREFIXES: readonly string[] = [
  // Longer prefixes first: 'conv2d' must not swallow a hypothetical 'conv2d_transpose'.
  'batch_normalization',
  'global_average_pooling2d',
  'global_max_pooling2d',
  'average_pooling2d',
  'max_pooling2d',
  'concatenate',
  'activation',
  'conv2d',
  'dense',
  'input',
];

interface Grouped {
  explicit: string[];
  numbered: Map<string, { name: string; number: number }[]>;
}

function groupByPrefix(names: Iterable<string>, prefixes: readonly string[]): Grouped {
  const grouped: Grouped = { explicit: [], numbered: new Map() };
  for (const name of names) {
    const parsed = parseAutoName(name, prefixes);
    if (!parsed) {
      grouped.explicit.push(name);
      continue;
    }
    const list = grouped.numbered.get(parsed.prefix) ?? [];
    list.push({ name, number: parsed.number });
    grouped.numbered.set(parsed.prefix, list);
  }
  for (const list of grouped.numbered.values()) list.sort((a, b) => a.number - b.number);
  return grouped;
}
