import { rm } from 'node:fs/promises';
import { GraftError } from '../../api/errors';
import { openAtomicFile, type AtomicFile } from '../../base/atomic-write';
import { csvRow } from '../../base/csv';
import { errnoCode } from '../../base/fs-errors';
import { NpyWriter } from './npy-writer';

/** The CSV index that goes with an `.npy` file: the same name with `.csv` in place of `.npy`. */
export function indexPathFor(npyPath: string): string {
  return /\.npy$/i.test(npyPath) ? npyPath.replace(/\.npy$/i, '.csv') : `${npyPath}.csv`;
}

/** A file system failure as a message the user can act on (wrong folder, no permission, disk full). */
function writeError(file: string, error: unknown): GraftError {
  if (error instanceof GraftError) return error;
  const reason = errnoCode(error) ?? (error as Error).message;
  return new GraftError('io', `Cannot write ${file} (${reason}); choose another output file or free some space.`);
}

/**
 * Where a file is written until it is complete; it takes its final name only on success. A
 * fixed name, so the CLI can remove it after killing an engine that was writing it.
 */
export function partialPathOf(file: string): string {
  return `${file}.partial`;
}

/**
 * The two outputs of an embedding run, written batch by batch: the feature matrix (`.npy`)
 * and its index (`row,path` CSV). Both are written under `.partial` names and renamed on
 * `commit()`, so a cancelled or crashed run never leaves a file that looks complete.
 */
export class EmbeddingFiles {
  private constructor(
    private readonly npy: NpyWriter,
    private readonly csv: AtomicFile,
    readonly out: string,
    readonly indexOut: string,
  ) {}

  /** Creates both partial files (and their folders) for vectors of `dims` values. */
  static async create(out: string, indexOut: string, dims: number): Promise<EmbeddingFiles> {
    let npy: NpyWriter;
    try {
      npy = await NpyWriter.create(out, dims, { tempPath: partialPathOf(out) });
    } catch (error) {
      throw writeError(out, error);
    }
    let csv: AtomicFile | null = null;
    try {
      csv = await openAtomicFile(indexOut, { tempPath: partialPathOf(indexOut) });
      await csv.write('row,path\n');
      return new EmbeddingFiles(npy, csv, out, indexOut);
    } catch (error) {
      await csv?.abort();
      await npy.abort();
      throw writeError(indexOut, error);
    }
  }

  /** Rows written so far. */
  get rows(): number {
    return this.npy.rows;
  }

  /** Appends one batch: the vectors (row-major) and the path of each row. */
  async append(vectors: Float32Array, paths: readonly string[]): Promise<void> {
    const first = this.npy.rows;
    try {
      await this.npy.append(vectors);
      await this.csv.write(paths.map((p, i) => `${csvRow([String(first + i), p])}\n`).join(''));
    } catch (error) {
      throw writeError(this.out, error);
    }
  }

  /** Completes both files and gives them their final names; on failure no partial file stays. */
  async commit(): Promise<void> {
    try {
      await this.npy.finish();
      await this.csv.commit();
    } catch (error) {
      await this.abort();
      throw writeError(this.out, error);
    }
  }

  /** Closes and removes both partial files (a file already committed stays). */
  async abort(): Promise<void> {
    await this.npy.abort();
    await this.csv.abort();
  }
}

/** Removes what an interrupted run may have left (the CLI calls this after killing the engine). */
export async function removePartials(out: string, indexOut: string): Promise<void> {
  await rm(partialPathOf(out), { force: true });
  await rm(partialPathOf(indexOut), { force: true });
}
