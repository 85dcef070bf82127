/**
 * Deterministic image operations behind augmentation, on one RGB image held as a Float32Array
 * in HWC order with values 0–255. Each returns a new array and leaves its input alone.
 *
 * Geometry uses pixel-centre coordinates (pixel x covers [x, x + 1), its centre is x + 0.5), so
 * a rotation turns about the image centre and a 90° turn maps pixel centres onto pixel centres.
 */

/** Colour channels of the images handled here. */
export const CHANNELS = 3;

/** What a warp shows where it samples outside the image. */
export interface WarpFill {
  /** 'reflect' mirrors the image about its edge, edge pixel included (Keras's "d c b a | a b c d"); 'constant' paints `value`. */
  mode: 'reflect' | 'constant';
  value: number;
}

/** A rotation about the centre followed by a square crop resized back to full size. */
export interface WarpParams {
  /** Counter-clockwise, in degrees, as the image is viewed. */
  angleDegrees: number;
  /** Crop side as a fraction of the image side (1 = no crop). */
  scale: number;
  /** Crop's top-left corner in pixels of the rotated image (0 … (1 − scale) × side). */
  offsetX: number;
  offsetY: number;
}

/** Checks that `image` holds h × w RGB pixels. */
export function checkImage(image: Float32Array, height: number, width: number): void {
  if (!(Number.isInteger(height) && Number.isInteger(width) && height > 0 && width > 0) || image.length !== height * width * CHANNELS) {
    throw new RangeError(`Expected a ${height}×${width} RGB image (${height * width * CHANNELS} values); got ${image.length} values.`);
  }
}

/** Mirrors left–right. */
export function flipHorizontal(image: Float32Array, height: number, width: number): Float32Array {
  const out = new Float32Array(image.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (y * width + (width - 1 - x)) * CHANNELS;
      out.set(image.subarray(from, from + CHANNELS), (y * width + x) * CHANNELS);
    }
  }
  return out;
}

/** Mirrors top–bottom. */
export function flipVertical(image: Float32Array, height: number, width: number): Float32Array {
  const out = new Float32Array(image.length);
  const row = width * CHANNELS;
  for (let y = 0; y < height; y++) out.set(image.subarray((height - 1 - y) * row, (height - y) * row), y * row);
  return out;
}

/** Folds an integer index into 0…n−1 by mirroring (period 2n, edge pixel repeated). */
function reflectIndex(i: number, n: number): number {
  const period = 2 * n;
  let m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - 1 - m;
}

/**
 * Rotates by `angleDegrees` about the centre, then crops the square `scale` × side at the offset
 * and resizes it back, in one bilinear resample (one blur instead of two).
 */
export function warp(image: Float32Array, height: number, width: number, params: WarpParams, fill: WarpFill): Float32Array {
  const out = new Float32Array(image.length);
  const theta = (params.angleDegrees * Math.PI) / 180;
  // Snap cos/sin so quarter turns are exact (cos 90° is 6e-17 in floating point).
  const cos = Math.abs(Math.cos(theta)) < 1e-12 ? 0 : Math.cos(theta);
  const sin = Math.abs(Math.sin(theta)) < 1e-12 ? 0 : Math.sin(theta);
  const cx = width / 2;
  const cy = height / 2;
  const pixel = new Float32Array(CHANNELS);
  const sample = (ix: number, iy: number, weight: number): void => {
    if (weight === 0) return;
    let x = ix;
    let y = iy;
    if (x < 0 || x >= width || y < 0 || y >= height) {
      if (fill.mode === 'constant') {
        for (let c = 0; c < CHANNELS; c++) pixel[c]! += weight * fill.value;
        return;
      }
      x = reflectIndex(x, width);
      y = reflectIndex(y, height);
    }
    const at = (y * width + x) * CHANNELS;
    for (let c = 0; c < CHANNELS; c++) pixel[c]! += weight * image[at + c]!;
  };
  for (let oy = 0; oy < height; oy++) {
    for (let ox = 0; ox < width; ox++) {
      // Output centre → point of the rotated image inside the crop → point of the source image.
      const dx = params.offsetX + params.scale * (ox + 0.5) - cx;
      const dy = params.offsetY + params.scale * (oy + 0.5) - cy;
      const sx = cx + dx * cos - dy * sin - 0.5;
      const sy = cy + dx * sin + dy * cos - 0.5;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      pixel.fill(0);
      sample(x0, y0, (1 - fx) * (1 - fy));
      sample(x0 + 1, y0, fx * (1 - fy));
      sample(x0, y0 + 1, (1 - fx) * fy);
      sample(x0 + 1, y0 + 1, fx * fy);
      out.set(pixel, (oy * width + ox) * CHANNELS);
    }
  }
  return out;
}

function clip255(value: number): number {
  return value < 0 ? 0 : value > 255 ? 255 : value;
}

/**
 * Adds `brightnessDelta` (in 0–255 units), then scales each channel's distance from that
 * channel's mean by `contrastFactor` (Keras `RandomBrightness` then `RandomContrast`); clips to 0–255 after each.
 */
export function brightnessContrast(image: Float32Array, brightnessDelta: number, contrastFactor: number): Float32Array {
  const out = new Float32Array(image.length);
  const means = new Float64Array(CHANNELS);
  for (let i = 0; i < image.length; i++) {
    out[i] = clip255(image[i]! + brightnessDelta);
    means[i % CHANNELS]! += out[i]!;
  }
  if (contrastFactor === 1) return out;
  const pixels = image.length / CHANNELS;
  for (let c = 0; c < CHANNELS; c++) means[c]! /= pixels;
  for (let i = 0; i < out.length; i++) {
    const mean = means[i % CHANNELS]!;
    out[i] = clip255((out[i]! - mean) * contrastFactor + mean);
  }
  return out;
}

/** RGB in 0–1 → [hue 0…1, saturation 0…1, value 0…1]. */
export function rgbToHsv(r: number, g: number, b: number): [number, number, number] {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const span = max - min;
  let h = 0;
  if (span > 0) {
    if (max === r) h = ((g - b) / span) % 6;
    else if (max === g) h = (b - r) / span + 2;
    else h = (r - g) / span + 4;
    h /= 6;
    if (h < 0) h += 1;
  }
  return [h, max === 0 ? 0 : span / max, max];
}

/** [hue 0…1, saturation, value] → RGB in 0–1. */
export function hsvToRgb(h: number, s: number, v: number): [number, number, number] {
  const sector = (h - Math.floor(h)) * 6;
  const i = Math.floor(sector);
  const f = sector - i;
  const p = v * (1 - s);
  const q = v * (1 - s * f);
  const t = v * (1 - s * (1 - f));
  switch (i % 6) {
    case 0:
      return [v, t, p];
    case 1:
      return [q, v, p];
    case 2:
      return [p, v, t];
    case 3:
      return [p, q, v];
    case 4:
      return [t, p, v];
    default:
      return [v, p, q];
  }
}

/** Turns every pixel's hue by `shift` of the colour circle (0.5 = half-way round), through HSV. */
export function shiftHue(image: Float32Array, shift: number): Float32Array {
  const out = new Float32Array(image.length);
  for (let i = 0; i < image.length; i += CHANNELS) {
    const [h, s, v] = rgbToHsv(image[i]! / 255, image[i + 1]! / 255, image[i + 2]! / 255);
    const [r, g, b] = hsvToRgb(h + shift, s, v);
    out[i] = clip255(r * 255);
    out[i + 1] = clip255(g * 255);
    out[i + 2] = clip255(b * 255);
  }
  return out;
}
