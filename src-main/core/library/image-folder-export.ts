import fs from 'node:fs';
import path from 'node:path';
import { GraftError } from '../../api/errors';
import type { Project } from '../project/project';
import type { ImageFolderOptions, ImageFolderExport } from './library-types';
export type { ImageFolderOptions, ImageFolderExport } from './library-types';

/**
 * Writes labelled images as `dir/<class>/<file>` (or `dir/<split>/<class>/<file>`), the layout
 * torchvision's ImageFolder and Keras's image_dataset_from_directory read. The target must be
 * empty or new, so an export never overwrites files.
 */
export async function exportImageFolder(project: Project, dir: string, options: ImageFolderOptions = {}): Promise<ImageFolderExport> {
  const target = path.resolve(dir);
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0) {
    throw new GraftError('bad-request', `${target} is not empty. Choose a new or empty folder for the export.`);
  }
  const rows = project.db
    .prepare(
      `SELECT i.id, i.path, i.file_name AS fileName, i.missing, c.name AS className, s.split
       FROM images i JOIN labels l ON l.image_id = i.id JOIN classes c ON c.id = l.class_id
       LEFT JOIN splits s ON s.image_id = i.id ORDER BY i.path`,
    )
    .all() as { id: number; path: string; fileName: string; missing: number; className: string; split: string | null }[];
  const result: ImageFolderExport = { dir: target, exported: 0, skipped: [] };
  const used = new Set<string>();
  const folders = new Map<string, string>();
  for (const row of rows) {
    if (row.missing) {
      result.skipped.push({ path: row.path, reason: 'missing (import its folder again to relink it)' });
      continue;
    }
    if (options.bySplit && !row.split) {
      result.skipped.push({ path: row.path, reason: 'has no split (assign splits first)' });
      continue;
    }
    const classDir = folders.get(row.className) ?? uniqueFolderName(row.className, folders);
    folders.set(row.className, classDir);
    const folder = path.join(target, ...(options.bySplit ? [row.split!] : []), classDir);
    const file = uniqueFileName(folder, row.fileName, row.id, used);
    try {
      fs.mkdirSync(folder, { recursive: true });
      if (options.link) await fs.promises.symlink(row.path, file);
      else await fs.promises.copyFile(row.path, file, fs.constants.COPYFILE_FICLONE);
      result.exported++;
    } catch (error) {
      result.skipped.push({ path: row.path, reason: `cannot ${options.link ? 'link' : 'copy'}: ${(error as Error).message}` });
    }
  }
  return result;
}

/** A folder name for a class that is safe on every file system and distinct from the others. */
function uniqueFolderName(className: string, taken: ReadonlyMap<string, string>): string {
  // eslint-disable-next-line no-control-regex
  let base = className.replace(/[/\\:*?"<>|\u0000-\u001f]/g, '_').replace(/[. ]+$/, '');
  if (base === '' || base === '.' || base === '..') base = '_';
  const lower = new Set([...taken.values()].map((v) => v.toLowerCase()));
  let name = base;
  // Case-insensitive file systems (macOS, Windows) would fold "Cat" and "cat" together.
  for (let n = 2; lower.has(name.toLowerCase()); n++) name = `${base}-${n}`;
  return name;
}

function uniqueFileName(folder: string, fileName: string, imageId: number, used: Set<string>): string {
  let file = path.join(folder, fileName);
  if (used.has(file.toLowerCase())) {
    const ext = path.extname(fileName);
    file = path.join(folder, `${path.basename(fileName, ext)}-${imageId}${ext}`);
  }
  used.add(file.toLowerCase());
  return file;
}
