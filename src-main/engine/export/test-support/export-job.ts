import type { ExportFormat, ExportJob } from '../../../api/types/export';
import type { DatasetSnapshot, TrainingConfig, TrainResult } from '../../../api/types/runs';

/** What an export test knows of its trained run. */
export interface TrainedRun {
  runDir: string;
  config: TrainingConfig;
  dataset: DatasetSnapshot;
  trained: TrainResult;
}

/**
 * An export job of a test run's best checkpoint, as the main side would send it: counts per class
 * and split from the dataset, the run's history and evaluations, the test split for parity.
 */
export function exportJobOf(run: TrainedRun, format: ExportFormat, outDir: string): ExportJob {
  const { dataset, trained } = run;
  const perClass = dataset.classes.map(() => ({ train: 0, validation: 0, test: 0 }));
  for (const image of dataset.images) perClass[image.label]![image.split] += 1;
  return {
    runDir: run.runDir,
    checkpoint: 'best',
    format,
    outDir,
    meta: {
      runId: 1,
      runName: 'Red or blue',
      createdAt: '2026-12-03T10:00:00.000Z',
      appVersion: '0.1.0-test',
      checkpoint: 'best',
      config: run.config,
      classes: dataset.classes,
      counts: { classes: dataset.classes, perClass },
      history: trained.history.map((h) => ({ ...h, stage: 'head' as const })),
      evaluations: trained.evaluations.map((e, i) => ({ id: i + 1, split: e.split, checkpoint: e.checkpoint, report: e.report, createdAt: '2026-12-03T10:00:00.000Z' })),
      backend: 'cpu',
      runtime: 'tfjs',
    },
    parityImages: dataset.images.filter((i) => i.split === 'test'),
    images: dataset.images,
  };
}
