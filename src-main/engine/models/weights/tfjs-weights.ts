import { GraftError } from '../../../api/errors';
import { shapeSize, type StoredLayer, type StoredWeight, type StoredWeights } from './stored-weights';
import { weightRole } from './weight-roles';

/** One entry of a tfjs `weightsManifest[].weights` (`WeightsManifestEntry`). */
export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  group?: string;
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; min?: number; scale?: number };
}

/** One group of a tfjs weights manifest: shard file paths and the weights they hold, in order. */
export interface TfjsManifestGroup {
  paths: string[];
  weights: TfjsWeightSpec[];
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** IEEE 754 half precision to a JS number (tfjs's `float16` quantization). */
export function float16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function decode(spec: TfjsWeightSpec, bytes: Uint8Array): Float32Array {
  const size = shapeSize(spec.shape);
  // Copy (a Buffer's slice() would not) so typed views are aligned whatever the shard offset.
  const buffer = new Uint8Array(bytes).buffer;
  const q = spec.quantization;
  const out = new Float32Array(size);
  if (q?.dtype === 'float16') {
    const half = new Uint16Array(buffer, 0, size);
    for (let i = 0; i < size; i += 1) out[i] = float16ToNumber(half[i] ?? 0);
    return out;
  }
  if (q) {
    const values = q.dtype === 'uint8' ? new Uint8Array(buffer, 0, size) : new Uint16Array(buffer, 0, size);
    const { min = 0, scale = 1 } = q;
    // Same arithmetic as tfjs's decodeWeights, so both give identical floats.
    for (let i = 0; i < size; i += 1) out[i] = (values[i] ?? 0) * scale + min;
    return out;
  }
  if (spec.dtype === 'float32') return new Float32Array(buffer, 0, size);
  if (spec.dtype === 'int32') return Float32Array.from(new Int32Array(buffer, 0, size));
  return Float32Array.from(new Uint8Array(buffer, 0, size));
}

function byteLength(spec: TfjsWeightSpec, source: string): number {
  // The manifest is untrusted JSON: a shape must be a list of sizes before anything is computed from it.
  if (!Array.isArray(spec?.shape) || !spec.shape.every((d) => Number.isSafeInteger(d) && d >= 0) || !Number.isSafeInteger(shapeSize(spec.shape))) {
    throw new GraftError('bad-request', `A weight in ${source} has no valid shape (${JSON.stringify(spec?.shape)?.slice(0, 80)}); the manifest is corrupt.`);
  }
  const key = spec.quantization?.dtype ?? spec.dtype;
  const per = typeof key === 'string' && Object.hasOwn(BYTES, key) ? BYTES[key] : undefined;
  if (per === undefined) {
    throw new GraftError('bad-request', `Weight "${spec.name}" in ${source} has dtype ${spec.dtype}, which cannot be a model weight.`);
  }
  return shapeSize(spec.shape) * per;
}

/** The bytes the weights of a manifest take, all groups' shards together (as tfjs concatenates them). */
export function manifestByteLength(specs: readonly TfjsWeightSpec[], source: string): number {
  return specs.reduce((sum, spec) => sum + byteLength(spec, source), 0);
}

/** Layer names in topology order from a Keras/tfjs `modelTopology` (nested models flattened). */
export function topologyLayerNames(modelTopology: unknown): string[] {
  const topo = modelTopology as { model_config?: unknown } | null;
  const modelConfig = (topo?.model_config ?? topo) as { config?: { layers?: unknown } } | null;
  const names: string[] = [];
  const visit = (layers: unknown): void => {
    if (!Array.isArray(layers)) return;
    for (const entry of layers as { name?: string; config?: { name?: string; layers?: unknown } }[]) {
      if (Array.isArray(entry.config?.layers)) visit(entry.config?.layers);
      else {
        const name = entry.config?.name ?? entry.name;
        if (name) names.push(name);
      }
    }
  };
  const config = modelConfig?.config;
  visit(Array.isArray(config) ? config : config?.layers);
  return names;
}

/**
 * Turns tfjs weight specs plus their concatenated shard bytes into stored layers, grouped by
 * layer name (`<layer>/<weight>`) and ordered as the topology lists them — converter manifests
 * are sorted by name, not by layer order, and the topological fallback needs the real order.
 */
export function storedFromTfjs(
  specs: TfjsWeightSpec[],
  data: Uint8Array,
  layerOrder: string[],
  meta: { format: StoredWeights['format']; source: string },
): StoredWeights {
  const byLayer = new Map<string, StoredWeight[]>();
  let offset = 0;
  for (const spec of specs) {
    const length = byteLength(spec, meta.source);
    const start = offset;
    offset += length;
    if (offset > data.length) {
      throw new GraftError(
        'io',
        `The weights data of ${meta.source} ends before weight "${spec.name}" (${data.length} bytes, ` +
          `the manifest needs at least ${offset}). A shard file is missing or truncated.`,
      );
    }
    // Optimizer state is not part of the model.
    if (spec.group === 'optimizer') continue;
    const slash = spec.name.lastIndexOf('/');
    const layer = slash < 0 ? spec.name : spec.name.slice(0, slash);
    const list = byLayer.get(layer) ?? [];
    list.push({
      name: spec.name,
      role: weightRole(spec.name),
      shape: spec.shape,
      read: () => decode(spec, data.subarray(start, start + length)),
    });
    byLayer.set(layer, list);
  }
  const rank = new Map(layerOrder.map((name, i) => [name, i]));
  const rankOf = (name: string): number =>
    rank.get(name) ?? rank.get(name.slice(name.lastIndexOf('/') + 1)) ?? Number.MAX_SAFE_INTEGER;
  const layers: StoredLayer[] = [...byLayer.entries()]
    .map(([name, weights]) => ({ name, weights }))
    .sort((a, b) => rankOf(a.name) - rankOf(b.name));
  return { ...meta, layers, dispose: () => undefined };
}
