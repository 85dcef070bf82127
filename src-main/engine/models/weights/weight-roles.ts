/** What a weight array is for inside its layer; the same across Keras 1/2/3 and tfjs. */
export type WeightRole =
  | 'kernel'
  | 'depthwise_kernel'
  | 'pointwise_kernel'
  | 'recurrent_kernel'
  | 'bias'
  | 'gamma'
  | 'beta'
  | 'moving_mean'
  | 'moving_variance'
  | 'embeddings';

// Longest names first, so `depthwise_kernel` is not taken for `kernel`.
const ROLES: readonly [suffix: string, role: WeightRole][] = [
  ['depthwise_kernel', 'depthwise_kernel'],
  ['pointwise_kernel', 'pointwise_kernel'],
  ['recurrent_kernel', 'recurrent_kernel'],
  ['moving_variance', 'moving_variance'],
  ['moving_mean', 'moving_mean'],
  // Keras 1 BatchNormalization names, still found in old files.
  ['running_mean', 'moving_mean'],
  ['running_std', 'moving_variance'],
  ['embeddings', 'embeddings'],
  ['kernel', 'kernel'],
  ['bias', 'bias'],
  ['gamma', 'gamma'],
  ['beta', 'beta'],
  // Keras 1 names, e.g. VGG16's official file: `block1_conv1_W_1:0`, `block1_conv1_b_1:0`.
  ['W', 'kernel'],
  ['b', 'bias'],
];

/**
 * The role of a weight from its stored name: `block1_conv1/kernel:0`, `conv2d_1/kernel_1`,
 * `block1_conv1_W_1:0`, `bn/moving_mean`. Null when the name says nothing recognisable.
 */
export function weightRole(name: string): WeightRole | null {
  let last = name.slice(name.lastIndexOf('/') + 1);
  // `:0` is TensorFlow's output index; `_1` is a uniquifying suffix (Keras 1 and tfjs add them).
  last = last.replace(/:\d+$/, '').replace(/_\d+$/, '');
  for (const [suffix, role] of ROLES) {
    if (last === suffix || last.endsWith(`_${suffix}`)) return role;
  }
  return null;
}
