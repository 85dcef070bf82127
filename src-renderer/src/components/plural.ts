/** Irregular plurals the views need; everything else adds an s. */
const IRREGULAR: Readonly<Record<string, string>> = { class: 'classes', copy: 'copies', was: 'were', is: 'are', has: 'have' };

/** The word for a count: `plural(1, 'image')` is "image", `plural(2, 'image')` is "images". */
export function plural(count: number, singular: string, pluralForm?: string): string {
  return count === 1 ? singular : (pluralForm ?? IRREGULAR[singular] ?? `${singular}s`);
}

/** A count and its word, with the user's digit grouping: "1 image", "1,204 images". */
export function countOf(count: number, singular: string, pluralForm?: string): string {
  return `${count.toLocaleString()} ${plural(count, singular, pluralForm)}`;
}
