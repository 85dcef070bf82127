// Test support: reads back what the embed requests write.
import fs from 'node:fs';

/** Reads an `.npy` float32 matrix's shape and values (NumPy 1.0 header, as the writer's own test checks in detail). */
export function readNpy(file: string): { shape: number[]; values: Float32Array } {
  const bytes = fs.readFileSync(file);
  const headerLength = bytes.readUInt16LE(8);
  const header = bytes.subarray(10, 10 + headerLength).toString('latin1');
  const shape = /'shape': \((\d+), (\d+)\)/.exec(header)!.slice(1).map(Number);
  const data = bytes.subarray(10 + headerLength);
  return { shape, values: new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length)) };
}
