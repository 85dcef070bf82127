import { mkdir, open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { GraftError } from '../../../api/errors';
import { commitFile } from '../../../base/atomic-write';
import { coalesce } from '../../../base/coalesce';
import { hashFile, type HashAlgorithm } from '../../../base/file-hash';
import { KERAS_APPLICATIONS_BASE_URL, type WeightsFile } from './imagenet-files';

/** How far a download has got; pushed to the UI while it runs. */
export interface DownloadProgress {
  fileName: string;
  bytesDone: number;
  /** Null when the server does not say. */
  bytesTotal: number | null;
  /** Over the current connection, so a resumed download does not look impossibly fast. */
  bytesPerSecond: number;
}

/** Where to download to and from, and how to report and stop. */
export interface DownloadOptions {
  /** Like `~/.keras/models`; the app passes `defaultCacheDir(userData)`. */
  cacheDir: string;
  /** Replaces KERAS_APPLICATIONS_BASE_URL (tests, mirrors). */
  baseUrl?: string;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
  /** New connections after one drops mid-file; each resumes with an HTTP Range request. */
  retries?: number;
  retryDelayMs?: number;
  progressIntervalMs?: number;
  fetch?: typeof fetch;
}

/** The weights cache inside the app's user-data folder (Keras uses `~/.keras/models`). */
export function defaultCacheDir(userDataDir: string): string {
  return path.join(userDataDir, 'models');
}

/** Where a weights file lives once downloaded. */
export function cachedWeightsPath(file: WeightsFile, cacheDir: string): string {
  return path.join(cacheDir, file.fileName);
}

class Interrupted extends Error {}

interface Context {
  file: WeightsFile;
  url: string;
  part: string;
  options: DownloadOptions;
  fetch: typeof fetch;
}

function cancelled(file: WeightsFile): GraftError {
  return new GraftError('cancelled', `Download of ${file.fileName} cancelled; it resumes where it stopped next time.`);
}

function offline(file: WeightsFile, url: string, error: unknown): GraftError {
  // fetch fails with "fetch failed"; what the network said (ECONNREFUSED, ENOTFOUND…) is its cause.
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const reason = cause?.message || cause?.code || (error instanceof Error ? error.message : String(error));
  return new GraftError('io', `Could not download ${file.fileName} from ${url} (${reason}) — connect to the internet or choose a weights file.`, {
    cause: reason,
    url,
  });
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

/** Keras's `hash_algorithm="auto"`: 64 hex digits is sha256, anything else md5. */
function kerasHashAlgorithm(expected: string): HashAlgorithm {
  return expected.length === 64 ? 'sha256' : 'md5';
}

async function attempt(ctx: Context): Promise<void> {
  const { file, options, part } = ctx;
  const have = await sizeOf(part);
  let response: Response;
  try {
    response = await ctx.fetch(ctx.url, { headers: have > 0 ? { Range: `bytes=${have}-` } : {}, signal: options.signal });
  } catch (error) {
    if (options.signal?.aborted) throw cancelled(file);
    throw offline(file, ctx.url, error);
  }
  let start = 0;
  let total = Number(response.headers.get('content-length') ?? Number.NaN);
  if (response.status === 206) {
    const range = /bytes (\d+)-\d+\/(\d+|\*)/.exec(response.headers.get('content-range') ?? '');
    start = Number(range?.[1] ?? -1);
    total = range?.[2] === '*' ? Number.NaN : Number(range?.[2]);
  }
  // A stale or unusable partial file (range refused or not where we asked): start over.
  if ((response.status === 416 || (response.status === 206 && start !== have)) && have > 0) {
    await response.body?.cancel();
    await rm(part, { force: true });
    return attempt(ctx);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new GraftError(
      'io',
      `Could not download ${file.fileName} — the server answered HTTP ${response.status}. Choose a weights file, or try again later.`,
      { url: ctx.url, status: response.status },
    );
  }
  await receive(ctx, response.body, start, Number.isFinite(total) ? total : null);
}

async function receive(ctx: Context, body: ReadableStream<Uint8Array>, start: number, total: number | null): Promise<void> {
  const { file, options } = ctx;
  const handle = await open(ctx.part, start > 0 ? 'a' : 'w');
  const began = performance.now();
  let done = start;
  const progress = options.onProgress ? coalesce(options.progressIntervalMs ?? 100, options.onProgress) : null;
  const report = (): void => {
    const seconds = Math.max((performance.now() - began) / 1000, 1e-3);
    progress?.push({ fileName: file.fileName, bytesDone: done, bytesTotal: total, bytesPerSecond: (done - start) / seconds });
  };
  const reader = body.getReader();
  try {
    for (;;) {
      const { done: finished, value } = await reader.read();
      if (finished) break;
      await handle.write(value);
      done += value.length;
      report();
    }
  } catch {
    if (options.signal?.aborted) throw cancelled(file);
    throw new Interrupted(`connection dropped at ${done} bytes`);
  } finally {
    await handle.close();
    // The bytes on disk now, whether the connection ended or dropped.
    progress?.flush();
    progress?.dispose();
  }
  if (total !== null && done < total) throw new Interrupted(`connection ended at ${done} of ${total} bytes`);
}

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/**
 * Downloads an official weights file into the cache unless it is already there: progress
 * callbacks, resume over HTTP Range into `<name>.part` when the connection drops, the hash
 * Keras lists checked before the file takes its final name, cancellation by AbortSignal.
 * Returns the cached path.
 */
export async function downloadWeightsFile(file: WeightsFile, options: DownloadOptions): Promise<string> {
  const target = cachedWeightsPath(file, options.cacheDir);
  // Only verified files ever get the final name (renamed from .part below), so trust one found.
  const existing = await sizeOf(target);
  if (existing > 0) {
    options.onProgress?.({ fileName: file.fileName, bytesDone: existing, bytesTotal: existing, bytesPerSecond: 0 });
    return target;
  }
  if (options.signal?.aborted) throw cancelled(file);
  await mkdir(options.cacheDir, { recursive: true });
  const base = options.baseUrl ?? KERAS_APPLICATIONS_BASE_URL;
  const ctx: Context = {
    file,
    url: new URL(file.urlPath, base.endsWith('/') ? base : `${base}/`).href,
    part: `${target}.part`,
    options,
    fetch: options.fetch ?? fetch,
  };
  const retries = options.retries ?? 3;
  for (let tried = 0; ; tried += 1) {
    try {
      await attempt(ctx);
      break;
    } catch (error) {
      if (!(error instanceof Interrupted)) throw error;
      if (tried >= retries) {
        throw new GraftError('io', `Could not download ${file.fileName}: the ${error.message}. Try again — it resumes where it stopped.`);
      }
      await wait((options.retryDelayMs ?? 1000) * (tried + 1), options.signal);
      if (options.signal?.aborted) throw cancelled(file);
    }
  }
  if (file.hash) {
    let actual: string;
    try {
      actual = await hashFile(ctx.part, { algorithm: kerasHashAlgorithm(file.hash), signal: options.signal });
    } catch (error) {
      if (options.signal?.aborted) throw cancelled(file);
      throw error;
    }
    if (actual !== file.hash.toLowerCase()) {
      await rm(ctx.part, { force: true });
      throw new GraftError(
        'io',
        `Downloaded ${file.fileName} but its checksum does not match (expected ${file.hash}, got ${actual}). ` +
          'The file was removed; try again.',
      );
    }
  }
  // Flushed and renamed like every other file Graft writes whole; only then does it count as cached.
  await commitFile(ctx.part, target);
  return target;
}
