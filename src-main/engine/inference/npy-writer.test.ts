import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NPY_HEADER_BYTES, NpyWriter, npyHeader } from './npy-writer';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-npy-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

/** Reads an .npy file the way NumPy's format 1.0 reader does. */
function parseNpy(file: string): { version: [number, number]; headerLength: number; header: string; shape: number[]; values: Float32Array } {
  const bytes = fs.readFileSync(file);
  expect([...bytes.subarray(0, 6)]).toEqual([0x93, ...Buffer.from('NUMPY')]);
  const headerLength = bytes.readUInt16LE(8);
  const header = bytes.subarray(10, 10 + headerLength).toString('latin1');
  const match = /^\{'descr': '<f4', 'fortran_order': False, 'shape': \((\d+), (\d+)\), \} *\n$/.exec(header);
  expect(match, header).not.toBeNull();
  const shape = [Number(match![1]), Number(match![2])];
  const data = bytes.subarray(10 + headerLength);
  expect(data.length).toBe(shape[0]! * shape[1]! * 4);
  const values = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
  return { version: [bytes[6]!, bytes[7]!], headerLength, header, shape, values };
}

async function writeRows(file: string, dims: number, batches: Float32Array[]): Promise<void> {
  const writer = await NpyWriter.create(file, dims);
  for (const batch of batches) await writer.append(batch);
  await writer.finish();
}

describe('npy writer', () => {
  it('writes a NumPy 1.0 header padded with spaces to 64-byte alignment, ending in a newline', () => {
    const header = npyHeader([100_000, 1280]);
    expect(header.length).toBe(NPY_HEADER_BYTES);
    expect(header.length % 64).toBe(0);
    expect(header.subarray(0, 8).toString('latin1')).toBe('\x93NUMPY\x01\x00');
    expect(header.readUInt16LE(8)).toBe(NPY_HEADER_BYTES - 10);
    expect(header.subarray(10).toString('latin1')).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(100000, 1280\), \} +\n$/);
  });

  it('streams batches and fills in the final row count at the end', async () => {
    const file = path.join(dir, 'rows.npy');
    await writeRows(file, 3, [Float32Array.of(1, 2, 3, 4, 5, 6), Float32Array.of(-0.5, 1e-7, 3.25e9)]);
    const parsed = parseNpy(file);
    expect(parsed.version).toEqual([1, 0]);
    expect((10 + parsed.headerLength) % 64).toBe(0);
    expect(parsed.shape).toEqual([3, 3]);
    expect(parsed.values).toEqual(Float32Array.of(1, 2, 3, 4, 5, 6, -0.5, 1e-7, 3.25e9));
  });

  it('writes a valid empty matrix when no rows came', async () => {
    const file = path.join(dir, 'empty.npy');
    await writeRows(file, 1280, []);
    expect(parseNpy(file).shape).toEqual([0, 1280]);
  });

  it('shows nothing under the file name until finished, and leaves nothing when aborted', async () => {
    const file = path.join(dir, 'aside.npy');
    const writer = await NpyWriter.create(file, 2);
    await writer.append(Float32Array.of(1, 2));
    expect(fs.existsSync(file)).toBe(false);
    await writer.finish();
    expect(parseNpy(file).shape).toEqual([1, 2]);
    const dropped = path.join(dir, 'dropped.npy');
    const aborted = await NpyWriter.create(dropped, 2);
    await aborted.append(Float32Array.of(1, 2));
    await aborted.abort();
    expect(fs.readdirSync(dir).filter((name) => name.startsWith('dropped'))).toEqual([]);
  });

  it('refuses a batch that is not whole rows', async () => {
    const writer = await NpyWriter.create(path.join(dir, 'bad.npy'), 4);
    await expect(writer.append(new Float32Array(6))).rejects.toThrow(/not a whole number of 4-value rows/);
    await writer.abort();
  });

  it.skipIf(!hasNumpy)('loads in NumPy and matches numpy.save byte for byte', async () => {
    const file = path.join(dir, 'numpy.npy');
    const values = Float32Array.from({ length: 5 * 7 }, (_, i) => Math.sin(i) * 100);
    await writeRows(file, 7, [values.subarray(0, 14), values.subarray(14)]);
    const script = [
      'import io, sys, numpy as np',
      'a = np.load(sys.argv[1])',
      'b = io.BytesIO(); np.save(b, a)',
      'print(a.dtype.str, a.shape, a.flags["C_CONTIGUOUS"], repr(float(a[2, 3])), b.getvalue() == open(sys.argv[1], "rb").read())',
    ].join('\n');
    const run = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(`<f4 (5, 7) True ${String(values[2 * 7 + 3])} True`);
  });
});
