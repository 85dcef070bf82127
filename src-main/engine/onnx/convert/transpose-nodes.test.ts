import { beforeAll, describe, expect, it } from 'vitest';
import type { OnnxRuntime } from '../ort-loader';
import { requireOnnxRuntime } from '../test-support/ort-runtime';
import { GraphBuilder } from './graph-builder';
import { addTranspose, compactTranspose } from './transpose-nodes';

let runtime: OnnxRuntime;
beforeAll(async () => {
  runtime = await requireOnnxRuntime();
});

/** The transpose computed in JavaScript, index by index (row-major). */
function transposeJs(data: Float32Array, shape: number[], perm: number[]): Float32Array {
  const out = new Float32Array(data.length);
  const outShape = perm.map((p) => shape[p]!);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const index = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let source = 0;
    perm.forEach((p, k) => (source += index[k]! * strides[p]!));
    out[o] = data[source]!;
    for (let k = outShape.length - 1; k >= 0; k--) {
      if (++index[k]! < outShape[k]!) break;
      index[k] = 0;
    }
  }
  return out;
}

async function runNodes(shape: number[], perm: number[], batch: number): Promise<{ out: Float32Array; dims: readonly number[]; ops: string[] }> {
  const builder = new GraphBuilder();
  builder.reserve('x');
  const y = addTranspose(builder, 'x', shape, perm, 'y');
  builder.addNodeNamed('Identity', [y], 'out');
  const bytes = builder.toBytes([{ name: 'x', dims: shape.map((d) => (d < 0 ? 'N' : d)) }], [{ name: 'out', dims: perm.map((p) => (shape[p]! < 0 ? 'N' : shape[p]!)) }], 'transpose');
  const session = await runtime.ort.InferenceSession.create(bytes);
  const concrete = shape.map((d) => (d < 0 ? batch : d));
  const data = Float32Array.from({ length: concrete.reduce((a, b) => a * b, 1) }, (_, i) => i);
  const result = (await session.run({ x: new runtime.ort.Tensor('float32', data, concrete) })).out!;
  await session.release();
  return { out: result.data as Float32Array, dims: result.dims, ops: builder.nodes.map((n) => n.op) };
}

describe('compactTranspose', () => {
  it('drops size-1 axes and merges axes that stay neighbours', () => {
    // A 1×1 convolution's kernel, Keras [1, 1, in, out] → ONNX [out, in, 1, 1]: a 2-D transpose.
    expect(compactTranspose([1, 1, 320, 1280], [3, 2, 0, 1])).toEqual({ dims: [320, 1280], perm: [1, 0] });
    // A 3×3 kernel: the two spatial axes move together.
    expect(compactTranspose([3, 3, 16, 32], [3, 2, 0, 1])).toEqual({ dims: [9, 16, 32], perm: [2, 1, 0] });
    // Depthwise [kh, kw, in, 1] → [in, 1, kh, kw].
    expect(compactTranspose([3, 3, 96, 1], [2, 3, 0, 1])).toEqual({ dims: [9, 96], perm: [1, 0] });
    // NCHW → NHWC keeps the batch apart and merges H and W.
    expect(compactTranspose([-1, 8, 7, 7], [0, 2, 3, 1])).toEqual({ dims: [-1, 8, 49], perm: [0, 2, 1] });
    // The batch is never merged with a neighbour.
    expect(compactTranspose([-1, 8, 7, 7], [1, 0, 2, 3])).toEqual({ dims: [-1, 8, 49], perm: [1, 0, 2] });
  });
});

describe('addTranspose', () => {
  const cases: [number[], number[]][] = [
    [[1, 1, 5, 7], [3, 2, 0, 1]],
    [[3, 2, 4, 6], [3, 2, 0, 1]],
    [[3, 3, 6, 1], [2, 3, 0, 1]],
    [[5, 7], [1, 0]],
    [[-1, 4, 3, 5], [0, 2, 3, 1]],
    [[-1, 4, 3, 5], [1, 0, 2, 3]],
    [[-1, 4, 1, 1], [0, 2, 3, 1]],
    [[2, 3, 4, 5], [0, 1, 2, 3]],
  ];
  it.each(cases)('moves the data as Transpose(%j, %j) does', async (shape, perm) => {
    const { out, dims, ops } = await runNodes(shape, perm, 2);
    const concrete = shape.map((d) => (d < 0 ? 2 : d));
    expect([...dims]).toEqual(perm.map((p) => concrete[p]!));
    expect(out).toEqual(transposeJs(Float32Array.from({ length: out.length }, (_, i) => i), concrete, perm));
    // No data moves when only size-1 axes change places: a Reshape suffices.
    if (compactTranspose(shape, perm).perm.every((p, i) => p === i)) expect(ops).not.toContain('Transpose');
  });
});
