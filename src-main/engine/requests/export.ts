import type { ExportResult } from '../../api/types/export';
import type { ExportJob } from '../../api/types/export';
import { exportRun } from '../export/export-run';
import { writeKerasArchive } from '../export/keras3-archive';
import { writeKerasH5 } from '../export/keras2-h5';
import type { EngineContext } from '../worker/engine-context';

/**
 * The engine's `export` request: a run's checkpoint written as one format with its labels,
 * preprocessing, model card and report, and checked by reading it back.
 */
export async function runExport(params: ExportJob, ctx: EngineContext<'export'>): Promise<ExportResult> {
  return exportRun(ctx.tf, params, { keras: writeKerasArchive, h5: writeKerasH5 }, ctx.checkpoint, (done, total, message) => ctx.emit({ done, total, message }));
}
