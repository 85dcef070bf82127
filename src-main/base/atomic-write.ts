import { randomBytes } from 'node:crypto';
import { mkdir, open, opendir, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { errnoCode } from './fs-errors';
import { processAlive } from './process-alive';

/** The ending of every temporary file an atomic write makes, so a stale one is recognisable. */
export const TEMP_FILE_SUFFIX = '.tmp';

// `<target>.<owner pid>-<random>.tmp`; the bare `<target>.<12 hex>.tmp` of earlier versions has no owner.
const TEMP_NAME = /\.(?:(\d{1,10})-[0-9a-f]{8}|[0-9a-f]{12})\.tmp$/;

/**
 * A fresh temporary name beside `target`: in the same folder, so the final rename never crosses
 * file systems, and carrying the writer's pid, so a sweep can tell a live write from a dead one.
 */
export function tempPathFor(target: string): string {
  return `${target}.${process.pid}-${randomBytes(4).toString('hex')}${TEMP_FILE_SUFFIX}`;
}

/** Flushes a folder so a rename inside it survives a power cut; skipped where folders cannot be opened (Windows). */
async function syncFolder(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a folder: the rename is still atomic, only less durable.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

async function renameDurably(tempPath: string, target: string): Promise<void> {
  await rename(tempPath, target);
  await syncFolder(path.dirname(target));
}

/**
 * Gives a completely written temporary file its final name: flushed to disk, renamed over
 * `target` and the folder flushed. For files written elsewhere first (a resumable download);
 * the temporary file stays where it is when this fails.
 */
export async function commitFile(tempPath: string, target: string): Promise<void> {
  const handle = await open(tempPath, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await renameDurably(tempPath, target);
}

/** A file being written under a temporary name; it takes its final name only on `commit()`. */
export interface AtomicFile {
  /** The name the file gets on commit. */
  readonly target: string;
  /** Where it is written until then. */
  readonly tempPath: string;
  /** The open file, for writers that also write at fixed positions (a header filled in at the end). */
  readonly handle: FileHandle;
  /** Writes all of `data` at the current position (after what earlier calls wrote). */
  write(data: string | Uint8Array): Promise<void>;
  /** Flushes and closes the file, renames it over the target and flushes the folder; on failure the temporary file is removed. */
  commit(): Promise<void>;
  /** Closes and removes the temporary file; the target is untouched. Safe after commit and twice. */
  abort(): Promise<void>;
}

/** How to open an atomic file. */
export interface AtomicFileOptions {
  /**
   * A fixed temporary name instead of a unique one, for outputs that another process must be
   * able to find and remove after killing the writer (an embedding run's `.partial` files).
   */
  tempPath?: string;
  /**
   * False for caches that are made again when lost (thumbnails): the rename is still atomic, but
   * nothing waits for the disk, so a power cut may leave an empty file (which readers treat as absent).
   */
  durable?: boolean;
}

/**
 * Opens a temporary file beside `target` (making the folder) for a large output written in
 * pieces. Nothing appears under the target name until `commit()`, so a crash or a cancel never
 * leaves a file that looks complete.
 */
export async function openAtomicFile(target: string, options: AtomicFileOptions = {}): Promise<AtomicFile> {
  await mkdir(path.dirname(target), { recursive: true });
  const tempPath = options.tempPath ?? tempPathFor(target);
  // A unique name must be new; a fixed one may be what an earlier killed run left.
  const handle = await open(tempPath, options.tempPath ? 'w' : 'wx');
  let settled = false;
  const discard = async () => {
    await handle.close().catch(() => undefined);
    await rm(tempPath, { force: true });
  };
  return {
    target,
    tempPath,
    handle,
    write: async (data) => {
      await handle.writeFile(data);
    },
    commit: async () => {
      if (settled) throw new Error(`${target} was already committed or aborted`);
      settled = true;
      try {
        if (options.durable !== false) await handle.sync();
        await handle.close();
        if (options.durable !== false) await renameDurably(tempPath, target);
        else await rename(tempPath, target);
      } catch (error) {
        await discard();
        throw error;
      }
    },
    abort: async () => {
      if (settled) return;
      settled = true;
      await discard();
    },
  };
}

/**
 * Writes a whole file so it appears complete or not at all: written aside, flushed, renamed
 * over `target`. A crash never leaves half a file under the target name, and never leaves the
 * previous version half-replaced.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array, options: Pick<AtomicFileOptions, 'durable'> = {}): Promise<void> {
  const file = await openAtomicFile(target, options);
  try {
    await file.write(data);
  } catch (error) {
    await file.abort();
    throw error;
  }
  await file.commit();
}

/** True for a temporary file of an atomic write whose writer is gone: it will never be committed. */
export function isStaleTempFile(name: string, alive: (pid: number) => boolean = processAlive): boolean {
  const match = TEMP_NAME.exec(name);
  if (!match) return false;
  const owner = match[1];
  return owner === undefined || !alive(Number(owner));
}

/**
 * Removes, in `dir` and the folders below it, the temporary files of atomic writes whose
 * writing process has died (killed mid-write), and returns how many it removed. Writes in
 * flight in a live process, this one included, are left alone; so are all other files.
 */
export async function removeStaleTempFiles(dir: string, alive: (pid: number) => boolean = processAlive): Promise<number> {
  let removed = 0;
  let folder;
  try {
    folder = await opendir(dir);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') return 0;
    throw error;
  }
  for await (const entry of folder) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) removed += await removeStaleTempFiles(full, alive);
    else if (entry.isFile() && isStaleTempFile(entry.name, alive)) {
      await rm(full, { force: true });
      removed++;
    }
  }
  return removed;
}
