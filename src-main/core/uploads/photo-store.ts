import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { GraftError } from '../../api/errors';
import type { UploadStored } from '../../api/types/photo-upload';
import { errnoCode } from '../../base/fs-errors';
import { UPLOAD_TEMP_PREFIX } from './upload-paths';

/** Where a file was kept, and the folders made for it (so a cancelled upload can remove them). */
export interface StoredPhoto {
  path: string;
  stored: UploadStored;
  createdDirs: string[];
}

/** Most names tried beside an existing different file ("x (2).jpg" … ) before giving up. */
const MAX_FREE_NAME_TRIES = 1000;

/** The n-th name tried for a file: its own name first, then "name (2).ext", "name (3).ext" … */
function candidateName(name: string, n: number): string {
  if (n === 1) return name;
  const ext = path.extname(name);
  return `${name.slice(0, name.length - ext.length)} (${n})${ext}`;
}

function isInside(child: string, root: string): boolean {
  return child === root || child.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/**
 * Makes (or finds) each folder of `parts` below `root`, refusing any that is not a real
 * folder inside the photos folder: a symbolic link that leads out of it, or a file where a
 * folder should be. Returns the folder to write in and the folders it made.
 */
async function folderFor(root: string, realRoot: string, folders: readonly string[]): Promise<{ dir: string; created: string[] }> {
  const created: string[] = [];
  let dir = root;
  for (const name of folders) {
    dir = path.join(dir, name);
    try {
      await fs.promises.mkdir(dir);
      created.push(dir);
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw new GraftError('io', `Cannot make the folder ${dir}: ${(error as Error).message}`);
    }
    const real = await fs.promises.realpath(dir).catch(() => null);
    if (real === null || !isInside(real, realRoot)) {
      throw new GraftError('bad-request', `${dir} is a link that leads out of the project's photos folder; Graft does not write through it.`);
    }
    if (!(await fs.promises.stat(real)).isDirectory()) throw new GraftError('bad-request', `${dir} is a file, not a folder; rename one of them and send it again.`);
  }
  return { dir, created };
}

/** True when `file` is a regular file (not a link) holding exactly `bytes`. */
async function holdsSameBytes(file: string, info: fs.Stats, bytes: Buffer): Promise<boolean> {
  if (!info.isFile() || info.size !== bytes.length) return false;
  return (await fs.promises.readFile(file)).equals(bytes);
}

/** Gives the written temporary file its name only when nothing is there yet: a link fails on an existing name. */
async function claimName(temp: string, target: string): Promise<boolean> {
  try {
    await fs.promises.link(temp, target);
    return true;
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'EEXIST') return false;
    // File systems without hard links (FAT, some network shares): an exclusive copy does the same.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'EMLINK') {
      try {
        await fs.promises.copyFile(temp, target, fs.constants.COPYFILE_EXCL);
        return true;
      } catch (copyError) {
        if (errnoCode(copyError) === 'EEXIST') return false;
        throw copyError;
      }
    }
    throw error;
  }
}

/**
 * Writes a sent photo under `root` (the project's photos folder) at its relative path, never
 * replacing anything: a file already there with the same bytes is kept and reported
 * `identical`; a different file (or a link, which is never written through) leaves the name
 * taken and the photo lands as "name (2).ext". Folders on the way must stay inside `root`.
 */
export async function storePhoto(root: string, parts: readonly string[], bytes: Buffer): Promise<StoredPhoto> {
  await fs.promises.mkdir(root, { recursive: true });
  const realRoot = await fs.promises.realpath(root);
  const { dir, created } = await folderFor(root, realRoot, parts.slice(0, -1));
  const name = parts[parts.length - 1]!;
  const temp = path.join(dir, `${UPLOAD_TEMP_PREFIX}${randomUUID()}.part`);
  let written = false;
  try {
    for (let n = 1; n <= MAX_FREE_NAME_TRIES; n++) {
      const target = path.join(dir, candidateName(name, n));
      const info = await fs.promises.lstat(target).catch((error: unknown) => {
        if (errnoCode(error) === 'ENOENT') return null;
        throw error;
      });
      if (info) {
        if (await holdsSameBytes(target, info, bytes)) return { path: target, stored: 'identical', createdDirs: created };
        continue;
      }
      if (!written) {
        await fs.promises.writeFile(temp, bytes, { flag: 'wx' });
        written = true;
      }
      if (await claimName(temp, target)) return { path: target, stored: n === 1 ? 'new' : 'renamed', createdDirs: created };
    }
    throw new GraftError('bad-request', `${path.join(dir, name)} and ${MAX_FREE_NAME_TRIES - 1} numbered copies already exist with other contents.`);
  } catch (error) {
    if (error instanceof GraftError) throw error;
    throw new GraftError('io', `Cannot write ${path.join(dir, name)}: ${(error as Error).message}`);
  } finally {
    if (written) await fs.promises.rm(temp, { force: true });
  }
}

/**
 * Takes back what an upload wrote: its files (not the identical ones that were there before)
 * and then the folders it made, deepest first, where they are empty. Returns the files removed.
 */
export async function removeStored(photos: readonly StoredPhoto[]): Promise<number> {
  let removed = 0;
  for (const photo of photos) {
    if (photo.stored === 'identical') continue;
    await fs.promises.rm(photo.path, { force: true });
    removed++;
  }
  const dirs = [...new Set(photos.flatMap((photo) => photo.createdDirs))].sort((a, b) => b.length - a.length);
  for (const dir of dirs) await fs.promises.rmdir(dir).catch(() => undefined);
  return removed;
}
