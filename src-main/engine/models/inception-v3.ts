import type { LayersModel } from '@tensorflow/tfjs';
import type { ResolvedOptions } from './build-options';
import { call, optionalPooling, predictions, type Sym, type Tf } from './graph';
import { KerasAutoNamer } from './keras-names';

/**
 * Keras `InceptionV3(weights=None, …)`. Keras leaves most of its layers unnamed, so their names
 * come from Keras's counters; we create layers in exactly Keras's order so that the counters —
 * and therefore the names — match (`conv2d_1` … `conv2d_94` under 'keras2', see keras-names.ts).
 */
export function buildInceptionV3(tf: Tf, options: ResolvedOptions): LayersModel {
  const namer = new KerasAutoNamer(options.inceptionNaming);
  const b = new Builder(tf, namer);
  const input = tf.input({ shape: options.inputShape, name: namer.input() });

  let x = b.convBn(input, 32, 3, 3, { strides: 2, padding: 'valid' });
  x = b.convBn(x, 32, 3, 3, { padding: 'valid' });
  x = b.convBn(x, 64, 3, 3);
  x = b.maxPool(x);
  x = b.convBn(x, 80, 1, 1, { padding: 'valid' });
  x = b.convBn(x, 192, 3, 3, { padding: 'valid' });
  x = b.maxPool(x);

  // mixed0–2: 35×35 blocks; only the pool branch's width changes.
  [32, 64, 64].forEach((poolFilters, i) => {
    const branch1x1 = b.convBn(x, 64, 1, 1);
    const branch5x5 = b.convBn(b.convBn(x, 48, 1, 1), 64, 5, 5);
    const branch3x3dbl = b.convBn(b.convBn(b.convBn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3);
    const branchPool = b.convBn(b.avgPool(x), poolFilters, 1, 1);
    x = b.concat([branch1x1, branch5x5, branch3x3dbl, branchPool], `mixed${i}`);
  });

  // mixed3: reduction to 17×17.
  {
    const branch3x3 = b.convBn(x, 384, 3, 3, { strides: 2, padding: 'valid' });
    let branch3x3dbl = b.convBn(b.convBn(x, 64, 1, 1), 96, 3, 3);
    branch3x3dbl = b.convBn(branch3x3dbl, 96, 3, 3, { strides: 2, padding: 'valid' });
    const branchPool = b.maxPool(x);
    x = b.concat([branch3x3, branch3x3dbl, branchPool], 'mixed3');
  }

  // mixed4–7: factorised 7×7 blocks; the inner width grows 128 → 160 → 160 → 192.
  [128, 160, 160, 192].forEach((width, i) => {
    const branch1x1 = b.convBn(x, 192, 1, 1);
    let branch7x7 = b.convBn(x, width, 1, 1);
    branch7x7 = b.convBn(b.convBn(branch7x7, width, 1, 7), 192, 7, 1);
    let branch7x7dbl = b.convBn(x, width, 1, 1);
    branch7x7dbl = b.convBn(b.convBn(branch7x7dbl, width, 7, 1), width, 1, 7);
    branch7x7dbl = b.convBn(b.convBn(branch7x7dbl, width, 7, 1), 192, 1, 7);
    const branchPool = b.convBn(b.avgPool(x), 192, 1, 1);
    x = b.concat([branch1x1, branch7x7, branch7x7dbl, branchPool], `mixed${4 + i}`);
  });

  // mixed8: reduction to 8×8.
  {
    const branch3x3 = b.convBn(b.convBn(x, 192, 1, 1), 320, 3, 3, { strides: 2, padding: 'valid' });
    let branch7x7x3 = b.convBn(b.convBn(b.convBn(x, 192, 1, 1), 192, 1, 7), 192, 7, 1);
    branch7x7x3 = b.convBn(branch7x7x3, 192, 3, 3, { strides: 2, padding: 'valid' });
    const branchPool = b.maxPool(x);
    x = b.concat([branch3x3, branch7x7x3, branchPool], 'mixed8');
  }

  // mixed9–10: expanded 8×8 blocks.
  for (let i = 0; i < 2; i++) {
    const branch1x1 = b.convBn(x, 320, 1, 1);
    const branch3x3Stem = b.convBn(x, 384, 1, 1);
    const branch3x3 = b.concat([b.convBn(branch3x3Stem, 384, 1, 3), b.convBn(branch3x3Stem, 384, 3, 1)], `mixed9_${i}`);
    const branch3x3dblStem = b.convBn(b.convBn(x, 448, 1, 1), 384, 3, 3);
    const branch3x3dbl = b.concat([b.convBn(branch3x3dblStem, 384, 1, 3), b.convBn(branch3x3dblStem, 384, 3, 1)]);
    const branchPool = b.convBn(b.avgPool(x), 192, 1, 1);
    x = b.concat([branch1x1, branch3x3, branch3x3dbl, branchPool], `mixed${9 + i}`);
  }

  if (options.includeTop) {
    x = call(tf.layers.globalAveragePooling2d({ name: 'avg_pool' }), x);
    x = predictions(tf, x, options);
  } else if (options.pooling) {
    const name = namer.next(options.pooling === 'avg' ? 'global_average_pooling2d' : 'global_max_pooling2d');
    x = optionalPooling(tf, x, options, { avg: name, max: name });
  }
  return tf.model({ inputs: input, outputs: x, name: 'inception_v3' });
}

/** Layer factories that draw names from Keras's counters in creation order. */
class Builder {
  constructor(
    private readonly tf: Tf,
    private readonly namer: KerasAutoNamer,
  ) {}

  /** Keras `conv2d_bn`: bias-free convolution, BatchNormalization without gamma, ReLU. */
  convBn(x: Sym, filters: number, rows: number, cols: number, opts: { strides?: number; padding?: 'same' | 'valid' } = {}): Sym {
    const { tf, namer } = this;
    const conv = tf.layers.conv2d({
      filters,
      kernelSize: [rows, cols],
      strides: opts.strides ?? 1,
      padding: opts.padding ?? 'same',
      useBias: false,
      name: namer.next('conv2d'),
    });
    const bn = tf.layers.batchNormalization({ axis: 3, scale: false, name: namer.next('batch_normalization') });
    const relu = tf.layers.activation({ activation: 'relu', name: namer.next('activation') });
    return call(relu, call(bn, call(conv, x)));
  }

  maxPool(x: Sym): Sym {
    return call(this.tf.layers.maxPooling2d({ poolSize: 3, strides: 2, name: this.namer.next('max_pooling2d') }), x);
  }

  avgPool(x: Sym): Sym {
    const layer = this.tf.layers.averagePooling2d({ poolSize: 3, strides: 1, padding: 'same', name: this.namer.next('average_pooling2d') });
    return call(layer, x);
  }

  concat(inputs: Sym[], name?: string): Sym {
    return call(this.tf.layers.concatenate({ axis: 3, name: name ?? this.namer.next('concatenate') }), inputs);
  }
}
