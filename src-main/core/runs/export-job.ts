import path from 'node:path';
import { GraftError } from '../../api/errors';
import type { DatasetCounts, ExportParams } from '../../api/types/export';
import type { RunImage } from '../../api/types/runs';
import type { EngineParams } from '../../engine/protocol';
import { APP_VERSION } from '../app-version';
import type { Project } from '../project/project';
import { getRun, runImages } from './run-store';

/** Held-out images an export is checked on. */
const PARITY_IMAGES = 32;

/** A folder name made from a run's name. */
function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'run';
}

/** Counts per class and split of a run's snapshot. */
export function datasetCounts(classes: string[], images: readonly RunImage[]): DatasetCounts {
  const perClass = classes.map(() => ({ train: 0, validation: 0, test: 0 }));
  for (const image of images) perClass[image.label]![image.split] += 1;
  return { classes, perClass };
}

/**
 * What the engine needs to export a run: its checkpoint, the target folder (the project's
 * `exports/<run>-<format>` unless given), the run's description for the model card and report,
 * and held-out images (test, else validation) for the parity check.
 */
export function exportJobFor(project: Project, params: ExportParams): EngineParams<'export'> {
  const run = getRun(project, params.runId);
  if (!run.checkpoints[params.checkpoint]) throw new GraftError('bad-request', `${run.name} has no ${params.checkpoint} checkpoint to export; train it first.`);
  const images = runImages(project, params.runId);
  const test = images.filter((i) => i.split === 'test');
  const heldOut = (test.length > 0 ? test : images.filter((i) => i.split === 'validation')).slice(0, PARITY_IMAGES);
  const outDir = path.resolve(params.out ?? path.join(project.layout.exports, `${slug(run.name)}-${params.format}`));
  return {
    runDir: run.dir,
    checkpoint: params.checkpoint,
    format: params.format,
    outDir,
    meta: {
      runId: run.id,
      runName: run.name,
      createdAt: run.createdAt,
      appVersion: APP_VERSION,
      checkpoint: params.checkpoint,
      config: run.config,
      classes: run.classes,
      counts: datasetCounts(run.classes, images),
      history: run.history,
      evaluations: run.evaluations,
      backend: run.backend,
      runtime: run.runtime,
    },
    parityImages: heldOut,
    images,
  };
}
