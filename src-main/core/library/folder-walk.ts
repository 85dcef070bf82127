import fs from 'node:fs';
import path from 'node:path';
import { fsErrorReason } from '../../base/fs-errors';

/** What the walk finds: a file to consider, or something it had to pass over. */
export type WalkEntry =
  | { kind: 'file'; path: string; /** Folder names from the walk root down to the file's folder. */ dirs: readonly string[] }
  | { kind: 'skip'; path: string; reason: string };

/** The directory calls the walk makes; injectable so tests can simulate failures. */
export interface WalkFs {
  readdir(dir: string): Promise<fs.Dirent[]>;
  stat(target: string): Promise<fs.Stats>;
}

/** Options for one walk. */
export interface WalkOptions {
  signal?: AbortSignal;
  /** Absolute folders to leave out (the project's own folder when it sits inside the photos). */
  exclude?: readonly string[];
  fs?: WalkFs;
}

const nodeWalkFs: WalkFs = {
  readdir: (dir) => fs.promises.readdir(dir, { withFileTypes: true }),
  stat: (target) => fs.promises.stat(target),
};

interface PendingDir {
  path: string;
  dirs: readonly string[];
}

/**
 * Walks a folder tree depth-first in name order, one directory listing at a time, so a
 * 100,000-file tree never sits in memory at once. Symlinks are followed; a link back to a
 * folder already visited is reported as a loop instead of being walked forever. Problems
 * (unreadable folders, broken links) come out as `skip` entries; the walk never throws on them.
 */
export async function* walkFolder(root: string, options: WalkOptions = {}): AsyncGenerator<WalkEntry> {
  const io = options.fs ?? nodeWalkFs;
  const exclude = new Set((options.exclude ?? []).map((dir) => path.resolve(dir)));
  const visited = new Set<string>();
  const rootPath = path.resolve(root);
  const rootStats = await io.stat(rootPath);
  visited.add(dirKey(rootStats));
  // A stack of directories still to list; each directory's children are pushed in reverse
  // so they pop in name order.
  const stack: PendingDir[] = [{ path: rootPath, dirs: [] }];
  while (stack.length > 0) {
    if (options.signal?.aborted) return;
    const dir = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = await io.readdir(dir.path);
    } catch (error) {
      yield { kind: 'skip', path: dir.path, reason: fsErrorReason(error, 'folder') };
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: PendingDir[] = [];
    for (const entry of entries) {
      const full = path.join(dir.path, entry.name);
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
        subdirs.push({ path: full, dirs: [...dir.dirs, entry.name] });
      } else if (isFile) {
        yield { kind: 'file', path: full, dirs: dir.dirs };
      } else {
        yield { kind: 'skip', path: full, reason: 'not a regular file (device, socket or pipe)' };
      }
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
}

function dirKey(stats: fs.Stats): string {
  return `${stats.dev}:${stats.ino}`;
}
