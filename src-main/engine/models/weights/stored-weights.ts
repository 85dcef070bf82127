import type { Disposable } from '../../../base/lifecycle';
import type { WeightRole } from './weight-roles';

/** The file formats weights can come from. */
export type WeightFormat = 'keras-h5' | 'keras-v3' | 'tfjs' | 'nsfwjs-bundle';

/** One stored weight array: its name in the file, its role in the layer, its shape, and a lazy reader. */
export interface StoredWeight {
  name: string;
  /** Null when the file does not say (Keras 3 stores vars as 0, 1, …); matching is then by position. */
  role: WeightRole | null;
  shape: number[];
  /** Reads the values; lazy so that a 500 MB file is never held twice in memory. */
  read(): Float32Array;
}

/** One layer's weights as the file holds them, in the file's order. */
export interface StoredLayer {
  name: string;
  weights: StoredWeight[];
}

/**
 * Weights read from a file, layers in the file's (topological) order. Owns the open file,
 * so whoever reads it disposes it.
 */
export interface StoredWeights extends Disposable {
  format: WeightFormat;
  /** Where they came from, for messages (a path or a bundled name). */
  source: string;
  layers: StoredLayer[];
  dispose(): void;
}

/** Number of elements in an array of the given shape. */
export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A shape as people write it in messages: [3, 3, 32, 64]. */
export function formatShape(shape: readonly (number | null)[]): string {
  return `[${shape.join(', ')}]`;
}
