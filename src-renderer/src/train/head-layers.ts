/** The head the wizard grafts onto the base, as rows with shapes and parameter counts (the engine's buildTrainingModel). */
import type { HeadSpec } from '../../../src-main/api/types/runs';

/** One layer of the head as the layer tree lists it. */
export interface HeadRow {
  name: string;
  className: string;
  shape: string;
  params: number;
}

/**
 * The head's layers for a base whose last feature map is `featureShape` ([null, h, w, c]):
 * pooling (or flatten), optional dropout, the dense layers with their dropout, then the
 * classifier over `classes` (one unit for a sigmoid). Names match the engine's.
 */
export function headRows(featureShape: readonly (number | null)[], head: HeadSpec, classes: number): HeadRow[] {
  const [, h, w, c] = featureShape.map((d) => d ?? 0);
  let width = head.pooling === 'flatten' ? (h ?? 0) * (w ?? 0) * (c ?? 0) : (c ?? 0);
  const rows: HeadRow[] = [];
  const vector = (n: number) => `(None, ${n})`;
  rows.push(
    head.pooling === 'flatten'
      ? { name: 'head_flatten', className: 'Flatten', shape: vector(width), params: 0 }
      : { name: 'head_pool', className: head.pooling === 'avg' ? 'GlobalAveragePooling2D' : 'GlobalMaxPooling2D', shape: vector(width), params: 0 },
  );
  if (head.dropout) rows.push({ name: 'head_dropout', className: 'Dropout', shape: vector(width), params: 0 });
  head.layers.forEach((layer, i) => {
    rows.push({ name: `head_dense_${i + 1}`, className: 'Dense', shape: vector(layer.units), params: (width + 1) * layer.units });
    width = layer.units;
    if (layer.dropout) rows.push({ name: `head_dropout_${i + 1}`, className: 'Dropout', shape: vector(width), params: 0 });
  });
  const units = head.output === 'sigmoid' ? 1 : classes;
  rows.push({ name: 'predictions', className: 'Dense', shape: vector(units), params: (width + 1) * units });
  return rows;
}

/** Parameters of the head (all of them train). */
export function headParams(rows: readonly HeadRow[]): number {
  return rows.reduce((n, r) => n + r.params, 0);
}
