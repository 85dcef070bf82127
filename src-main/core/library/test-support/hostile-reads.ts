/**
 * Library calls on paths a client names, as functions a bounded child process can run
 * (see base/test-support/bounded-child.ts): a FIFO or a device must be refused, not hang or
 * flood the process.
 */
import { hashFile } from '../../../base/file-hash';
import { createProject, type Project } from '../../project/project';
import { nodeImportFileIo } from '../import-file';
import { createClass } from '../classes';
import { exportImageFolder } from '../image-folder-export';
import { assignLabel } from '../labels';
import { exportLabelsCsv, importLabelsCsv } from '../labels-csv';
import { seedImageRows } from '../library-fixtures';

async function inNewProject<T>(projectDir: string, run: (project: Project) => Promise<T>): Promise<T> {
  const project = createProject(projectDir);
  try {
    return await run(project);
  } finally {
    project.dispose();
  }
}

/** Imports labels from `csv` into a new project at `projectDir`. */
export function importCsvInto(projectDir: string, csv: string): Promise<unknown> {
  return inNewProject(projectDir, (project) => importLabelsCsv(project, csv));
}

/** Exports labels of a new project at `projectDir` to `target`. */
export function exportCsvFrom(projectDir: string, target: string): Promise<unknown> {
  return inNewProject(projectDir, (project) => exportLabelsCsv(project, target));
}

/** Exports as an ImageFolder a labelled photo whose file became `replacement` (a FIFO, say). */
export function exportReplacedPhoto(projectDir: string, replacement: string, target: string): Promise<unknown> {
  return inNewProject(projectDir, (project) => {
    const [id] = seedImageRows(project, 1);
    project.db.prepare('UPDATE images SET path = ? WHERE id = ?').run(replacement, id);
    assignLabel(project, [id!], createClass(project, 'cat').classId);
    return exportImageFolder(project, target);
  });
}

/** Reads a file as an import does (whole when small, hashed when large). */
export async function readAsImport(file: string): Promise<unknown> {
  const bytes = await nodeImportFileIo.readFile(file, new AbortController().signal);
  return { bytes: bytes.length, hash: await hashFile(file) };
}
