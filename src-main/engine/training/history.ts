/**
 * A run's metric history as plain data, and the thinning that keeps it small: at most N batch
 * points per epoch are stored, spread evenly over the epoch, always including its last batch
 * (so the stored curve ends where the epoch's metrics were taken).
 */
import type { BatchRecord, EpochRecord } from '../../api/types/training';

/** Everything recorded about a run's progress. */
export interface RunHistory {
  epochs: EpochRecord[];
  /** Sampled: at most the sampler's limit per epoch. */
  batches: BatchRecord[];
}

function checkLimit(maxPoints: number): void {
  if (!(Number.isInteger(maxPoints) && maxPoints >= 1)) throw new RangeError(`Keep at least one batch point per epoch; got ${maxPoints}.`);
}

/**
 * Whether batch `batch` (from 0) of an epoch of `batchesPerEpoch` batches is kept when at most
 * `maxPoints` are: the epoch is cut into `maxPoints` equal stretches and the last batch of each is kept.
 */
export function keepBatch(batch: number, batchesPerEpoch: number, maxPoints: number): boolean {
  checkLimit(maxPoints);
  if (batch >= batchesPerEpoch - 1) return true;
  return Math.floor(((batch + 1) * maxPoints) / batchesPerEpoch) > Math.floor((batch * maxPoints) / batchesPerEpoch);
}

/** The batch indices `keepBatch` keeps, in order. */
export function sampledBatchIndices(batchesPerEpoch: number, maxPoints: number): number[] {
  const kept: number[] = [];
  for (let b = 0; b < batchesPerEpoch; b++) if (keepBatch(b, batchesPerEpoch, maxPoints)) kept.push(b);
  return kept;
}

/**
 * Decides, as batches arrive, which to store. An epoch cut short (cancel, early stop inside an
 * epoch, a crash) still ends on its last batch: `endEpoch` adds it if it was not already kept.
 */
export class BatchHistorySampler {
  private readonly kept: BatchRecord[] = [];
  private last: { record: BatchRecord; kept: boolean } | null = null;

  constructor(
    private readonly maxPerEpoch: number,
    private readonly batchesPerEpoch: number,
  ) {
    checkLimit(maxPerEpoch);
  }

  /** Offers one batch; returns whether it was stored. */
  add(record: BatchRecord): boolean {
    if (this.last && this.last.record.epoch !== record.epoch) this.endEpoch();
    const keep = keepBatch(record.batch, this.batchesPerEpoch, this.maxPerEpoch);
    if (keep) this.kept.push(record);
    this.last = { record, kept: keep };
    return keep;
  }

  /** Closes the current epoch; returns the batch it had to add to end on the last one, if any. */
  endEpoch(): BatchRecord | null {
    const last = this.last;
    this.last = null;
    if (!last || last.kept) return null;
    this.kept.push(last.record);
    return last.record;
  }

  /** The stored batches so far, in arrival order. */
  records(): BatchRecord[] {
    return [...this.kept];
  }
}

/** Thins an already stored batch history to at most `maxPerEpoch` per epoch, keeping each epoch's last batch. */
export function thinBatchHistory(records: readonly BatchRecord[], maxPerEpoch: number): BatchRecord[] {
  checkLimit(maxPerEpoch);
  const byEpoch = new Map<number, BatchRecord[]>();
  for (const record of records) {
    const list = byEpoch.get(record.epoch) ?? [];
    list.push(record);
    byEpoch.set(record.epoch, list);
  }
  const out: BatchRecord[] = [];
  for (const list of byEpoch.values()) {
    for (const index of sampledBatchIndices(list.length, maxPerEpoch)) out.push(list[index]!);
  }
  return out;
}

/**
 * Sample-weighted running mean of a batch metric over an epoch: what Keras reports as the
 * epoch's training loss and accuracy (a last, smaller batch counts for its size).
 */
export class RunningMean {
  private sum = 0;
  private count = 0;

  /** Adds a batch's mean value over `samples` samples. */
  add(value: number, samples: number): void {
    this.sum += value * samples;
    this.count += samples;
  }

  /** The mean so far; 0 before any sample. */
  get value(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }
}
