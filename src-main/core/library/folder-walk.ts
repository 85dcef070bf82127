import fs from 'node:fs';
import path from 'node:path';
import { fsErrorReason } from '../../base/fs-errors';

/** What the walk finds: a file to consider, or something it had to pass over. */
export type WalkEntry =
  | { kind: 'file'; path: string; /** Folder names from the walk root down to the file's folder. */ dirs: readonly string[] }
  | { kind: 'skip'; path: string; reason: string };

/** The directory calls the walk makes; injectable so tests can simulate failures. */
export interface WalkFs {
  /** Names as bytes: a name that is not valid UTF-8 must not be turned into another name. */
  readdir(dir: string): Promise<fs.Dirent<Buffer>[]>;
  stat(target: string): Promise<fs.Stats>;
  /** Where a link leads; only asked for when links out of the root are not followed. */
  realpath?(target: string): Promise<string>;
}

/** Options for one walk. */
export interface WalkOptions {
  signal?: AbortSignal;
  /** Absolute folders to leave out (the project's own folder when it sits inside the photos). */
  exclude?: readonly string[];
  /** Links whose target lies outside the root: followed (default), or passed over with a reason. */
  linksOutside?: 'follow' | 'skip';
  fs?: WalkFs;
}

const nodeWalkFs: WalkFs = {
  readdir: (dir) => fs.promises.readdir(dir, { withFileTypes: true, encoding: 'buffer' }),
  stat: (target) => fs.promises.stat(target),
  realpath: (target) => fs.promises.realpath(target),
};

interface PendingDir {
  path: string;
  dirs: readonly string[];
}

/**
 * Walks a folder tree depth-first in name order, one directory listing at a time, so a
 * 100,000-file tree never sits in memory at once. Symlinks are followed (unless `linksOutside`
 * is 'skip' and one leads out of the root); a link back to a
 * folder already visited is reported as a loop instead of being walked forever. Problems
 * (unreadable folders, broken links) come out as `skip` entries; the walk never throws on them.
 */
export async function* walkFolder(root: string, options: WalkOptions = {}): AsyncGenerator<WalkEntry> {
  const io = options.fs ?? nodeWalkFs;
  const exclude = new Set((options.exclude ?? []).map((dir) => path.resolve(dir)));
  const visited = new Set<string>();
  const rootPath = path.resolve(root);
  const rootStats = await io.stat(rootPath);
  const realpath = io.realpath ?? nodeWalkFs.realpath!;
  const realRoot = options.linksOutside === 'skip' ? await realpath(rootPath) : null;
  visited.add(dirKey(rootStats));
  // A stack of directories still to list; each directory's children are pushed in reverse
  // so they pop in name order.
  const stack: PendingDir[] = [{ path: rootPath, dirs: [] }];
  while (stack.length > 0) {
    if (options.signal?.aborted) return;
    const dir = stack.pop()!;
    let listed: fs.Dirent<Buffer>[];
    try {
      listed = await io.readdir(dir.path);
    } catch (error) {
      yield { kind: 'skip', path: dir.path, reason: fsErrorReason(error, 'folder') };
      continue;
    }
    const entries = listed.map((entry) => ({ entry, name: entry.name.toString('utf8') }));
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: PendingDir[] = [];
    for (const { entry, name } of entries) {
      const full = path.join(dir.path, name);
      // Paths are text everywhere in Graft (database, media URLs, exports, the engine): a name
      // that does not survive as UTF-8 would point at a file that does not exist.
      if (!Buffer.from(name, 'utf8').equals(entry.name)) {
        yield { kind: 'skip', path: full, reason: notUtf8Reason(entry) };
        continue;
      }
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink() || isDir) {
        let stats: fs.Stats;
        try {
          stats = await io.stat(full);
        } catch (error) {
          yield { kind: 'skip', path: full, reason: fsErrorReason(error, entry.isSymbolicLink() ? 'file' : 'folder') };
          continue;
        }
        if (realRoot !== null && entry.isSymbolicLink()) {
          const outside = await linkLeadsOutside(realpath, full, realRoot);
          if (outside) {
            yield { kind: 'skip', path: full, reason: `a link to ${outside}, outside the imported folder (not followed)` };
            continue;
          }
        }
        isDir = stats.isDirectory();
        isFile = stats.isFile();
        if (isDir) {
          const key = dirKey(stats);
          if (visited.has(key)) {
            yield { kind: 'skip', path: full, reason: 'symlink loop (this folder was already walked through another path)' };
            continue;
          }
          visited.add(key);
        }
      }
      if (isDir) {
        if (exclude.has(full)) {
          yield { kind: 'skip', path: full, reason: 'is the Graft project folder (its thumbnails are not photos)' };
          continue;
        }
        subdirs.push({ path: full, dirs: [...dir.dirs, name] });
      } else if (isFile) {
        yield { kind: 'file', path: full, dirs: dir.dirs };
      } else {
        yield { kind: 'skip', path: full, reason: 'not a regular file (device, socket or pipe)' };
      }
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
}

/** The link's target when it lies outside `realRoot`, else null. */
async function linkLeadsOutside(realpath: (target: string) => Promise<string>, link: string, realRoot: string): Promise<string | null> {
  const target = await realpath(link).catch(() => null);
  if (target === null) return null; // a link that broke meanwhile: the stat above already judged it
  const relative = path.relative(realRoot, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative)) ? null : target;
}

function notUtf8Reason(entry: fs.Dirent<Buffer>): string {
  const what = entry.isDirectory() ? 'folder' : 'file';
  const hex = [...entry.name].map((b) => (b < 0x80 ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
  return (
    `${what} name is not valid UTF-8 (${hex}); Graft keeps paths as text, so rename the ${what} to import ` +
    (what === 'folder' ? 'the photos in it' : 'it')
  );
}

function dirKey(stats: fs.Stats): string {
  return `${stats.dev}:${stats.ino}`;
}
