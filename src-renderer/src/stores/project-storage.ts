/**
 * Small per-project memories of the UI (a form's last values, a draft) in the browser's
 * localStorage, keyed by the project's folder. Anything unreadable reads as absent: a stale
 * or foreign value must never break a page.
 */

function keyOf(projectDir: string, name: string): string {
  return `graft:${name}:${projectDir}`;
}

/** The value stored under `name` for this project, or null when absent or unreadable. */
export function readProjectValue(projectDir: string, name: string): unknown {
  try {
    const text = globalThis.localStorage?.getItem(keyOf(projectDir, name));
    return text ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
}

/** Stores `value` (plain data) under `name` for this project; a full or disabled storage is ignored. */
export function writeProjectValue(projectDir: string, name: string, value: unknown): void {
  try {
    globalThis.localStorage?.setItem(keyOf(projectDir, name), JSON.stringify(value));
  } catch {
    // Quota or privacy mode: the page works without the memory.
  }
}

/** Forgets what is stored under `name` for this project. */
export function forgetProjectValue(projectDir: string, name: string): void {
  try {
    globalThis.localStorage?.removeItem(keyOf(projectDir, name));
  } catch {
    // As above.
  }
}
