import { coalesce } from '../../base/coalesce';
import type { EventBus } from '../../api/event-bus';
import type { RunStage, TrainEvent, TrainProgress } from '../../api/types/runs';
import type { BatchRecord, EpochRecord } from '../../api/types/training';
import type { Project } from '../project/project';
import { recordBatches, recordEpochs } from './run-store';

/** How often recorded metrics go to the database and out as `run.metrics`. */
const METRICS_INTERVAL_MS = 250;

/** Turns a run's engine events into job progress, stored history and `run.metrics` pushes. */
export interface RunRecorder {
  onEvent(event: TrainEvent): void;
  /** Writes and pushes what is pending (at the end of the run). */
  flush(): void;
}

/**
 * Records what a training run's events say: every epoch and every batch record the engine
 * sends (it already thins batches to about ten a second) go into SQLite and out to clients
 * as `run.metrics`, in order and none dropped; the job's progress carries the latest state.
 */
export function createRunRecorder(project: Project, bus: EventBus, runId: number, progress: (value: TrainProgress) => void): RunRecorder {
  const state: TrainProgress = {
    runId,
    phase: 'building',
    stage: null,
    message: 'Building the model…',
    epoch: 0,
    epochs: 0,
    runtime: null,
    batch: 0,
    batches: 0,
    lastBatch: null,
    lastEpoch: null,
    imagesPerSecond: null,
    etaSeconds: null,
    cache: null,
  };
  let epochs: (EpochRecord & { stage: RunStage })[] = [];
  let batches: BatchRecord[] = [];
  const write = () => {
    if (epochs.length === 0 && batches.length === 0) return;
    const event = { runId, epochs, batches };
    epochs = [];
    batches = [];
    recordBatches(project, runId, event.batches);
    recordEpochs(project, runId, event.epochs);
    bus.emit('run.metrics', event);
  };
  const metrics = coalesce<void>(METRICS_INTERVAL_MS, write);
  const update = (patch: Partial<TrainProgress>) => {
    Object.assign(state, patch);
    progress({ ...state });
  };

  progress({ ...state });
  return {
    onEvent(event) {
      switch (event.type) {
        case 'phase':
          update({
            phase: event.phase,
            stage: event.stage,
            message: event.message,
            ...(event.runtime ? { runtime: event.runtime } : {}),
            ...(event.epochs ? { epochs: event.epochs } : {}),
          });
          return;
        case 'cache':
          update({ cache: { done: event.done, total: event.total, hits: event.hits, misses: event.misses, bytes: event.bytes }, imagesPerSecond: event.perSecond });
          return;
        case 'batch':
          batches.push(event.record);
          metrics.push();
          update({
            stage: event.stage,
            epoch: event.record.epoch + 1,
            batch: event.record.batch + 1,
            batches: event.batches,
            lastBatch: event.record,
            imagesPerSecond: event.imagesPerSecond,
            etaSeconds: event.etaSeconds,
          });
          return;
        case 'epoch':
          epochs.push({ ...event.record, stage: event.stage });
          // An epoch is worth writing at once: it is what a reload redraws.
          metrics.flush();
          write();
          update({ stage: event.stage, epoch: event.record.epoch + 1, epochs: event.epochs, lastEpoch: event.record });
          return;
        case 'checkpoint':
          update({ message: `Saved the ${event.which} checkpoint (epoch ${event.epoch + 1}).` });
          return;
      }
    },
    flush() {
      metrics.flush();
      metrics.dispose();
      write();
    },
  };
}
