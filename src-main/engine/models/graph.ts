import type { SymbolicTensor } from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import type { ResolvedOptions } from './build-options';

export type { Tf };

/** A symbolic tensor in a functional model under construction. */
export type Sym = SymbolicTensor;

/** Anything with tfjs-layers' `apply`; all layer classes qualify. */
interface Applicable {
  apply(inputs: Sym | Sym[]): unknown;
}

/** Calls a layer on symbolic inputs; the cast is safe because symbolic in means symbolic out. */
export function call(layer: Applicable, inputs: Sym | Sym[]): Sym {
  return layer.apply(inputs) as Sym;
}

/** Height and width of a channels-last feature map (always static here: inputs are fixed-size). */
export function spatialSize(x: Sym): [number, number] {
  const [, height, width] = x.shape;
  if (height == null || width == null) throw new Error(`Expected a static feature-map size; got [${x.shape.join(', ')}].`);
  return [height, width];
}

/** Channels of a channels-last feature map. */
export function channels(x: Sym): number {
  const last = x.shape[x.shape.length - 1];
  if (last == null) throw new Error(`Expected a static channel count; got [${x.shape.join(', ')}].`);
  return last;
}

/** The `predictions` Dense layer every Keras Application ends with. */
export function predictions(tf: Tf, x: Sym, options: ResolvedOptions): Sym {
  return call(tf.layers.dense({ units: options.classes, activation: options.classifierActivation, name: 'predictions' }), x);
}

/** Keras's `pooling` argument for `include_top=False`: global pooling, or the raw feature map. */
export function optionalPooling(tf: Tf, x: Sym, options: ResolvedOptions, names: { avg: string; max: string }): Sym {
  if (options.pooling === 'avg') return call(tf.layers.globalAveragePooling2d({ name: names.avg }), x);
  if (options.pooling === 'max') return call(tf.layers.globalMaxPooling2d({ name: names.max }), x);
  return x;
}
