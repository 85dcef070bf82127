/** Two runs' epoch curves on one x axis (epoch numbers from 1), for the overlaid comparison charts. */
import type uPlot from 'uplot';
import type { StagedEpoch } from '../train/chart-series';

/** A per-epoch quantity the comparison draws. */
export type EpochField = 'loss' | 'acc' | 'valLoss' | 'valAcc';

/** Aligned columns: the union of both runs' epochs, then each field of `fields` for run a, then for run b (null where a run has no such epoch). */
export function overlayEpochs(a: readonly StagedEpoch[], b: readonly StagedEpoch[], fields: readonly EpochField[]): uPlot.AlignedData {
  const xs = [...new Set([...a, ...b].map((e) => e.epoch + 1))].sort((x, y) => x - y);
  const column = (run: readonly StagedEpoch[], field: EpochField) => {
    const byEpoch = new Map(run.map((e) => [e.epoch + 1, e[field]]));
    return xs.map((x) => byEpoch.get(x) ?? null);
  };
  return [xs, ...fields.map((f) => column(a, f)), ...fields.map((f) => column(b, f))];
}
