import fs from 'node:fs';
import path from 'node:path';
import { GraftError } from '../../api/errors';
import type { PreprocessingSpec } from '../../api/types/export';
import type { ImportedModel, ModelImportParams, PredictModelInfo } from '../../api/types/predict';
import { writeFileAtomic } from '../../base/atomic-write';
import type { Project } from '../project/project';

/** Where copies of imported models live inside a project. */
export function modelsFolder(project: Project): string {
  return path.join(project.layout.dir, 'models');
}

interface ModelRow {
  id: number;
  name: string;
  format: ImportedModel['format'];
  path: string;
  copied: number;
  classes: string;
  class_map: string;
  preprocessing: string;
  assumptions: string;
  source_path: string;
  created_at: string;
}

function toModel(project: Project, row: ModelRow): ImportedModel {
  return {
    id: row.id,
    name: row.name,
    format: row.format,
    path: row.copied === 1 ? path.join(project.layout.dir, row.path) : row.path,
    copied: row.copied === 1,
    classes: JSON.parse(row.classes) as string[],
    classMap: JSON.parse(row.class_map) as Record<string, string>,
    preprocessing: JSON.parse(row.preprocessing) as PreprocessingSpec,
    assumptions: JSON.parse(row.assumptions) as string[],
    sourcePath: row.source_path,
    createdAt: row.created_at,
  };
}

function quoted(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

/**
 * How a model's classes meet the project's: every model class maps to a project class — the
 * one of the same name, or the one `mapClasses` names. Without a mapping the two class lists
 * must be the same set; otherwise the refusal names the difference both ways.
 */
export function classMapFor(modelClasses: readonly string[], projectClasses: readonly string[], mapClasses?: Record<string, string>): Record<string, string> {
  const project = new Set(projectClasses);
  const model = new Set(modelClasses);
  if (!mapClasses) {
    const extra = modelClasses.filter((c) => !project.has(c));
    const lacking = projectClasses.filter((c) => !model.has(c));
    if (extra.length > 0 || lacking.length > 0) {
      const parts = [
        extra.length > 0 ? `the model has ${quoted(extra)}, which the project lacks` : null,
        lacking.length > 0 ? `the project has ${quoted(lacking)}, which the model lacks` : null,
      ].filter((p): p is string => p !== null);
      throw new GraftError(
        'bad-request',
        `The model's classes differ from the project's: ${parts.join('; ')}. To import it anyway, say which project class each model class is (mapClasses: {"model class": "project class"}).`,
        { extra, lacking },
      );
    }
    return Object.fromEntries(modelClasses.map((c) => [c, c]));
  }
  const unknownKeys = Object.keys(mapClasses).filter((c) => !model.has(c));
  if (unknownKeys.length > 0) throw new GraftError('bad-request', `The class map names ${quoted(unknownKeys)}, which the model does not have (its classes: ${quoted(modelClasses)}).`);
  const map: Record<string, string> = {};
  const unmapped: string[] = [];
  const missingTargets: string[] = [];
  for (const c of modelClasses) {
    const target = Object.hasOwn(mapClasses, c) ? mapClasses[c]! : c;
    if (!project.has(target)) (Object.hasOwn(mapClasses, c) ? missingTargets : unmapped).push(Object.hasOwn(mapClasses, c) ? target : c);
    map[c] = target;
  }
  if (missingTargets.length > 0) throw new GraftError('bad-request', `The class map points at ${quoted(missingTargets)}, which the project does not have; create the class first or map to an existing one.`);
  if (unmapped.length > 0) throw new GraftError('bad-request', `The model's classes ${quoted(unmapped)} are not in the project and the class map does not say where they go.`);
  return map;
}

/** Copies a model's files into `dir`, keeping their places relative to the model's folder. */
async function copyModelFiles(info: PredictModelInfo, dir: string): Promise<string> {
  const from = path.dirname(info.file);
  await fs.promises.mkdir(dir, { recursive: true });
  for (const file of info.files) {
    const relative = path.relative(from, file);
    if (relative.startsWith('..') || path.isAbsolute(relative)) continue;
    const target = path.join(dir, relative);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.copyFile(file, target);
  }
  // The copy describes itself: what the import settled (given, read or assumed) is what it keeps.
  await writeFileAtomic(path.join(dir, 'labels.json'), JSON.stringify({ classes: info.classes }, null, 2));
  await writeFileAtomic(path.join(dir, 'preprocessing.json'), JSON.stringify(info.preprocessing, null, 2));
  return path.join(dir, path.basename(info.file));
}

/**
 * Registers an inspected model in the project: copied into `models/model-<id>/` (default) or
 * referenced where it is, with its classes, the map to the project's classes, its
 * preprocessing and what was assumed. A failed copy leaves no row and no folder.
 */
export async function registerImportedModel(project: Project, info: PredictModelInfo, params: ModelImportParams, classMap: Record<string, string>): Promise<ImportedModel> {
  if (info.format === 'checkpoint') throw new GraftError('bad-request', 'A run\'s checkpoint is already in the project; predict with the run instead.');
  const copy = params.copy ?? true;
  const name = params.name ?? path.basename(path.resolve(params.path));
  const id = Number(
    project.db
      .prepare(
        `INSERT INTO imported_models (name, format, path, copied, classes, class_map, preprocessing, assumptions, source_path, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(name, info.format, info.file, copy ? 1 : 0, JSON.stringify(info.classes), JSON.stringify(classMap), JSON.stringify(info.preprocessing), JSON.stringify(info.assumptions), path.resolve(params.path), new Date().toISOString())
      .lastInsertRowid,
  );
  if (copy) {
    const dir = path.join(modelsFolder(project), `model-${id}`);
    try {
      const file = await copyModelFiles(info, dir);
      project.db.prepare('UPDATE imported_models SET path = ? WHERE id = ?').run(path.relative(project.layout.dir, file), id);
    } catch (error) {
      project.db.prepare('DELETE FROM imported_models WHERE id = ?').run(id);
      await fs.promises.rm(dir, { recursive: true, force: true });
      throw new GraftError('io', `Cannot copy the model into ${dir}: ${(error as Error).message}`);
    }
  }
  return getImportedModel(project, id);
}

/** Every imported model, newest first. */
export function listImportedModels(project: Project): ImportedModel[] {
  return (project.db.prepare('SELECT * FROM imported_models ORDER BY id DESC').all() as ModelRow[]).map((row) => toModel(project, row));
}

/** One imported model; a 'not-found' error names the id. */
export function getImportedModel(project: Project, modelId: number): ImportedModel {
  const row = project.db.prepare('SELECT * FROM imported_models WHERE id = ?').get(modelId) as ModelRow | undefined;
  if (!row) throw new GraftError('not-found', `There is no imported model ${modelId} in this project.`);
  return toModel(project, row);
}

/** Removes an imported model, its suggestions, and its copy inside the project (never a referenced original). */
export async function removeImportedModel(project: Project, modelId: number): Promise<boolean> {
  const model = getImportedModel(project, modelId);
  project.db.prepare('DELETE FROM imported_models WHERE id = ?').run(modelId);
  if (model.copied) await fs.promises.rm(path.join(modelsFolder(project), `model-${modelId}`), { recursive: true, force: true });
  return true;
}
