import fs from 'node:fs';
import path from 'node:path';
import { GraftError } from '../api/errors';
import { hasImageExtension } from '../core/library/image-formats';
import { listImages, MAX_PAGE_SIZE } from '../core/library/image-query';
import { walkFolder } from '../core/library/folder-walk';
import { openProject } from '../core/project/project';
import { projectLayout } from '../core/project/project-layout';

/** The images a verb will work on and where they came from. */
export interface ImageSource {
  kind: 'project' | 'folder';
  dir: string;
  paths: string[];
}

/** True when `dir` is a Graft project folder (it has a `graft.db`). */
export function isProjectDir(dir: string): boolean {
  return fs.existsSync(projectLayout(dir).database);
}

/** The present (not missing) images of a project, in path order, read a page at a time. */
export function projectImagePaths(dir: string): string[] {
  const project = openProject(dir);
  try {
    const paths: string[] = [];
    for (let offset = 0; ; offset += MAX_PAGE_SIZE) {
      const page = listImages(project, { missing: false, orderBy: 'path', offset, limit: MAX_PAGE_SIZE });
      paths.push(...page.items.map((item) => item.path));
      if (offset + MAX_PAGE_SIZE >= page.total) return paths;
    }
  } finally {
    project.dispose();
  }
}

/** Image files (by extension: jpg, jpeg, png, webp, gif, tiff, avif) anywhere under `dir`, in walk order. */
export async function folderImagePaths(dir: string, signal?: AbortSignal): Promise<string[]> {
  const paths: string[] = [];
  for await (const entry of walkFolder(dir, { signal })) {
    if (entry.kind === 'file' && hasImageExtension(entry.path, false)) paths.push(entry.path);
  }
  return paths;
}

/** The images of a project folder, or of any folder walked recursively. */
export async function collectImages(dir: string, signal?: AbortSignal): Promise<ImageSource> {
  const resolved = path.resolve(dir);
  const info = fs.statSync(resolved, { throwIfNoEntry: false });
  if (!info?.isDirectory()) throw new GraftError('bad-request', `${resolved} is not a folder; give a project folder or a folder of images.`);
  if (isProjectDir(resolved)) return { kind: 'project', dir: resolved, paths: projectImagePaths(resolved) };
  return { kind: 'folder', dir: resolved, paths: await folderImagePaths(resolved, signal) };
}
