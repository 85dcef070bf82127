import type { ClassInfo } from '../../../src-main/api/types/library';

/** A row of the class picker: a class to assign, or the offer to create one with the typed name. */
export type PickerRow = { kind: 'class'; cls: ClassInfo } | { kind: 'create'; name: string };

/**
 * The picker's rows for what was typed: names that start with it first, then names that
 * contain it (case-insensitive, each in class order); all classes when nothing is typed. A
 * name no class has yet is offered for creation last.
 */
export function pickerRows(classes: readonly ClassInfo[], typed: string): PickerRow[] {
  const query = typed.trim().toLowerCase();
  if (!query) return classes.map((cls) => ({ kind: 'class', cls }));
  const starts: ClassInfo[] = [];
  const contains: ClassInfo[] = [];
  for (const cls of classes) {
    const name = cls.name.toLowerCase();
    if (name.startsWith(query)) starts.push(cls);
    else if (name.includes(query)) contains.push(cls);
  }
  const rows: PickerRow[] = [...starts, ...contains].map((cls) => ({ kind: 'class', cls }));
  if (!classes.some((cls) => cls.name.toLowerCase() === query)) rows.push({ kind: 'create', name: typed.trim() });
  return rows;
}

/** The class that holds a digit key, or null. */
export function classForKey(classes: readonly ClassInfo[], key: number): ClassInfo | null {
  return classes.find((cls) => cls.hotkey === key) ?? null;
}
