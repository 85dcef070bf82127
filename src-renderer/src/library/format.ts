/** Small formatting helpers shared by the Library view's panels. */

/** Seconds as `m:ss`, or `h:mm:ss` past an hour; an em dash when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A rate per second, with one decimal below ten so slow jobs do not read as zero. */
export function formatRate(perSecond: number | null | undefined): string {
  if (perSecond === null || perSecond === undefined || !Number.isFinite(perSecond)) return '—';
  return perSecond < 10 ? perSecond.toFixed(1) : String(Math.round(perSecond));
}

/** A count with the user's digit grouping. */
export function formatCount(n: number): string {
  return n.toLocaleString();
}

/** A share as a whole percentage (one decimal under 1 %), 0 when the whole is empty. */
export function formatPercent(part: number, whole: number): string {
  if (whole <= 0) return '0%';
  const pct = (part / whole) * 100;
  return pct > 0 && pct < 1 ? `${pct.toFixed(1)}%` : `${Math.round(pct)}%`;
}

/** The first `limit` items of a long list and how many were left out. */
export function capList<T>(items: readonly T[], limit: number): { shown: readonly T[]; more: number } {
  return { shown: items.slice(0, limit), more: Math.max(0, items.length - limit) };
}

/** Joins a folder and a name with the folder's own separator (Windows paths keep backslashes). */
export function joinPath(dir: string, name: string): string {
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  return dir.endsWith(sep) ? dir + name : dir + sep + name;
}

/** The message of anything thrown, for an alert. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `file` relative to `folder` when it lies inside it, else `file` unchanged. */
export function relativeTo(folder: string, file: string): string {
  const base = folder.replace(/[\\/]+$/, '');
  if (file.length > base.length + 1 && file.startsWith(base) && /[\\/]/.test(file[base.length]!)) {
    return file.slice(base.length + 1);
  }
  return file;
}
