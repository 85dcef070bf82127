/**
 * TensorFlow's `same` padding along one axis: the output has ceil(size / stride) positions and
 * any odd padding goes after (bottom/right), unlike a symmetric pad. Returns [before, after].
 */
export function samePadding(size: number, kernel: number, stride: number, dilation = 1): [number, number] {
  const effective = (kernel - 1) * dilation + 1;
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + effective - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** ONNX `pads` [top, left, bottom, right] for a Keras `padding` of 'same' or 'valid' on an h×w input. */
export function kerasPads(
  padding: 'same' | 'valid',
  [h, w]: [number, number],
  [kh, kw]: [number, number],
  [sh, sw]: [number, number],
  [dh, dw]: [number, number] = [1, 1],
): [number, number, number, number] {
  if (padding === 'valid') return [0, 0, 0, 0];
  const [top, bottom] = samePadding(h, kh, sh, dh);
  const [left, right] = samePadding(w, kw, sw, dw);
  return [top, left, bottom, right];
}
