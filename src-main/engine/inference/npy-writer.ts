import os from 'node:os';
import { GraftError } from '../../api/errors';
import { openAtomicFile, type AtomicFile, type AtomicFileOptions } from '../../base/atomic-write';

/**
 * Size of the reserved header. NumPy writes 128 bytes for any 2-D float32 array (it pads to a
 * multiple of 64 and leaves room for the first axis to grow), so reserving exactly that lets
 * the row count be filled in at the end without moving the data, and the file is byte for
 * byte what `numpy.save` writes.
 */
export const NPY_HEADER_BYTES = 128;

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY

/**
 * The NumPy format 1.0 header for a C-order little-endian float32 array of `shape`: magic,
 * version, header length, then the dict padded with spaces and ended by '\n' to
 * NPY_HEADER_BYTES.
 */
export function npyHeader(shape: readonly number[]): Buffer {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims}), }`;
  const prefix = MAGIC.length + 2 + 2;
  const room = NPY_HEADER_BYTES - prefix - 1;
  if (dict.length > room) throw new GraftError('bad-request', `Array shape (${shape.join(', ')}) is too large for an .npy header.`);
  const header = Buffer.alloc(NPY_HEADER_BYTES, 0x20);
  MAGIC.copy(header, 0);
  header[6] = 1; // major version
  header[7] = 0; // minor version
  header.writeUInt16LE(NPY_HEADER_BYTES - prefix, 8);
  header.write(dict, prefix, 'latin1');
  header[NPY_HEADER_BYTES - 1] = 0x0a;
  return header;
}

/**
 * Writes a float32 matrix [rows, dims] as `.npy`, row batch by row batch, so the matrix never
 * has to sit in memory: the header is reserved up front and rewritten with the final row
 * count by `finish()`. The file is written aside and takes its name only when finished.
 */
export class NpyWriter {
  private rowsWritten = 0;
  private offset = NPY_HEADER_BYTES;

  private constructor(
    private readonly file: AtomicFile,
    readonly dims: number,
  ) {}

  /** Starts `file` (written aside, under `options.tempPath` when given) and reserves the header. */
  static async create(file: string, dims: number, options: AtomicFileOptions = {}): Promise<NpyWriter> {
    if (!Number.isInteger(dims) || dims < 1) throw new GraftError('bad-request', `Feature vectors need at least one value; got ${dims}.`);
    const out = await openAtomicFile(file, options);
    try {
      await out.handle.write(npyHeader([0, dims]), 0, NPY_HEADER_BYTES, 0);
    } catch (error) {
      await out.abort();
      throw error;
    }
    return new NpyWriter(out, dims);
  }

  /** Rows written so far. */
  get rows(): number {
    return this.rowsWritten;
  }

  /** Appends whole rows (row-major, `values.length` a multiple of `dims`). */
  async append(values: Float32Array): Promise<void> {
    if (values.length % this.dims !== 0) {
      throw new Error(`NpyWriter.append: ${values.length} values is not a whole number of ${this.dims}-value rows.`);
    }
    const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    // '<f4' is little-endian; swap a copy on the rare big-endian host.
    const data = os.endianness() === 'LE' ? bytes : Buffer.from(bytes).swap32();
    await this.file.handle.write(data, 0, data.length, this.offset);
    this.offset += data.length;
    this.rowsWritten += values.length / this.dims;
  }

  /** Writes the header with the final row count and gives the file its name. */
  async finish(): Promise<void> {
    try {
      await this.file.handle.write(npyHeader([this.rowsWritten, this.dims]), 0, NPY_HEADER_BYTES, 0);
    } catch (error) {
      await this.file.abort();
      throw error;
    }
    await this.file.commit();
  }

  /** Removes the unfinished file. */
  async abort(): Promise<void> {
    await this.file.abort();
  }
}
