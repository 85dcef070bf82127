import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GraftError } from '../../api/errors';
import type { BrowsedFolder, FolderBrowseParams, FolderListing, RecentImportFolder } from '../../api/types/folder-browser';
import { errnoCode } from '../../base/fs-errors';
import { hasImageExtension } from './image-formats';

/** The file-system calls the browser makes; tests inject refusals here (root reads everything). */
export interface BrowseFs {
  readdir(dir: string): Promise<fs.Dirent[]>;
  realpath(target: string): Promise<string>;
  stat(target: string): Promise<fs.Stats>;
}

const nodeBrowseFs: BrowseFs = {
  readdir: (dir) => fs.promises.readdir(dir, { withFileTypes: true }),
  realpath: (target) => fs.promises.realpath(target),
  stat: (target) => fs.promises.stat(target),
};

/** What the browser is given besides the request: home, earlier imports, and injectable file access. */
export interface BrowseContext {
  home?: string;
  /** Folders imported before, newest first. */
  recent?: readonly { folder: string; importedAt: string }[];
  fs?: BrowseFs;
}

/** Subfolders one listing shows; a larger folder says it was cut. */
const MAX_FOLDERS = 2_000;
/** Subfolders whose photos are counted at once. */
const COUNT_CONCURRENCY = 8;

function isInside(child: string, root: string): boolean {
  return child.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/** The user's words for a folder that cannot be listed. */
function refusal(error: unknown, folder: string): GraftError {
  switch (errnoCode(error)) {
    case 'EACCES':
    case 'EPERM':
      return new GraftError('io', `You may not read ${folder}: the server runs as ${userName()}, who has no permission to list it.`);
    case 'ENOENT':
      return new GraftError('not-found', `${folder} does not exist.`);
    case 'ENOTDIR':
      return new GraftError('bad-request', `${folder} is a file; choose a folder.`);
    case 'ELOOP':
      return new GraftError('bad-request', `${folder} is a symbolic link loop.`);
    default:
      return new GraftError('io', `Cannot list ${folder}: ${(error as Error)?.message ?? String(error)}`);
  }
}

function userName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'its user';
  }
}

/** Photos (by extension) directly in a listing. */
function photosIn(entries: readonly fs.Dirent[]): number {
  return entries.filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && hasImageExtension(entry.name, false)).length;
}

/** One subfolder as the browser shows it; null when the entry is not a folder (or a link to one). */
async function describe(io: BrowseFs, listed: string, entry: fs.Dirent): Promise<BrowsedFolder | null> {
  const full = path.join(listed, entry.name);
  let kind: BrowsedFolder['kind'] = 'folder';
  let target = full;
  if (entry.isSymbolicLink()) {
    kind = 'link';
    try {
      target = await io.realpath(full);
      if (!(await io.stat(target)).isDirectory()) return null;
    } catch {
      // A broken link or a link loop is not a folder the user can import.
      return null;
    }
    // The link is shown, but the browser never follows it out of the folder it sits in.
    if (!isInside(target, listed)) return { name: entry.name, kind, path: null, note: `links to ${target}, outside this folder`, images: null };
  } else if (!entry.isDirectory()) {
    return null;
  }
  try {
    const images = photosIn(await io.readdir(target));
    return { name: entry.name, kind, path: target, note: null, images };
  } catch (error) {
    return { name: entry.name, kind, path: null, note: refusal(error, full).message, images: null };
  }
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function recentFolders(io: BrowseFs, recent: BrowseContext['recent']): Promise<RecentImportFolder[]> {
  return Promise.all(
    (recent ?? []).map(async ({ folder, importedAt }) => {
      const exists = await io
        .readdir(folder)
        .then(() => true)
        .catch(() => false);
      return { path: folder, importedAt, exists };
    }),
  );
}

/**
 * Lists the folders inside one folder on the server, for picking what to import from a
 * browser: folders only (with how many photos each holds directly), starting at the user's
 * home, with the folders imported before. The folder listed is always given back as its real
 * path; a symbolic link inside it is shown as a link and entered only when it leads to a
 * place inside that same folder. A folder the user may not read is refused with a message.
 */
export async function browseFolder(params: FolderBrowseParams, context: BrowseContext = {}): Promise<FolderListing> {
  const io = context.fs ?? nodeBrowseFs;
  const home = context.home ?? os.homedir();
  const typed = params.path?.trim() || home;
  // "~" is how people type their home; the server's home, as the browser starts there.
  const requested = path.resolve(home, typed === '~' ? home : typed.startsWith('~/') ? path.join(home, typed.slice(2)) : typed);
  if (requested.includes('\0')) throw new GraftError('bad-request', 'A folder name cannot hold a NUL character.');
  let listed: string;
  let entries: fs.Dirent[];
  try {
    listed = await io.realpath(requested);
    if (!(await io.stat(listed)).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    entries = await io.readdir(listed);
  } catch (error) {
    throw refusal(error, requested);
  }
  const visible = entries.filter((entry) => params.showHidden === true || !entry.name.startsWith('.'));
  const candidates = visible.filter((entry) => entry.isDirectory() || entry.isSymbolicLink());
  candidates.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: 'base' }));
  const described = await mapLimited(candidates.slice(0, MAX_FOLDERS), COUNT_CONCURRENCY, (entry) => describe(io, listed, entry));
  const folders = described.filter((folder): folder is BrowsedFolder => folder !== null);
  const hidden = entries.filter((entry) => entry.name.startsWith('.') && entry.isDirectory()).length;
  const parent = path.dirname(listed);
  return {
    path: listed,
    parent: parent === listed ? null : parent,
    home,
    folders,
    images: photosIn(entries),
    hidden: params.showHidden === true ? 0 : hidden,
    truncated: candidates.length > MAX_FOLDERS,
    recent: await recentFolders(io, context.recent),
  };
}
