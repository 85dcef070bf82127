/**
 * Seeded random augmentation of one training image (Float32Array, HWC, RGB, 0–255). Variant k
 * of an image is a pure function of (run seed, image key, k), so the activation cache can store
 * a fixed set of variants and a later run recreates the same ones.
 *
 * Every random draw is made whether or not its operation is enabled, in a fixed order, so
 * turning one operation on or off does not change what the others do to a given variant.
 */
import { GraftError } from '../../api/errors';
import type { AugmentSpec } from '../../api/types/training';
import { brightnessContrast, checkImage, flipHorizontal, flipVertical, shiftHue, warp } from './augment-ops';
import { createRng, deriveSeed, type Rng } from './rng';

/** The random choices behind one augmented variant (plain data, e.g. for a preview caption). */
export interface AugmentParams {
  flipHorizontal: boolean;
  flipVertical: boolean;
  angleDegrees: number;
  /** Crop side as a fraction of the image side. */
  scale: number;
  /** Crop position as fractions (0…1) of the room left beside and above it. */
  cropX: number;
  cropY: number;
  brightnessDelta: number;
  contrastFactor: number;
  hueShift: number;
}

/** Refuses settings outside sensible ranges, saying which one. */
export function checkAugment(spec: AugmentSpec): void {
  const range = (name: string, value: number | undefined, low: number, high: number): void => {
    if (value === undefined) return;
    if (!(Number.isFinite(value) && value >= low && value <= high)) {
      throw new GraftError('bad-request', `Augmentation ${name} must be between ${low} and ${high}; got ${value}.`);
    }
  };
  range('rotation (degrees)', spec.rotationDegrees, 0, 180);
  range('zoom', spec.zoom, 0, 0.9);
  range('brightness', spec.brightness, 0, 1);
  range('contrast', spec.contrast, 0, 1);
  range('hue', spec.hue, 0, 0.5);
  range('fill value', spec.fillValue, 0, 255);
}

/** Draws the random choices for one variant. */
export function sampleAugmentParams(spec: AugmentSpec, rng: Rng): AugmentParams {
  const rotation = spec.rotationDegrees ?? 0;
  const zoom = spec.zoom ?? 0;
  const brightness = spec.brightness ?? 0;
  const contrast = spec.contrast ?? 0;
  const hue = spec.hue ?? 0;
  // Fixed order, every draw always made (see the file comment).
  const h = rng.next() < 0.5;
  const v = rng.next() < 0.5;
  const angle = rng.uniform(-rotation, rotation);
  const scale = rng.uniform(1 - zoom, 1);
  const cropX = rng.next();
  const cropY = rng.next();
  const delta = rng.uniform(-brightness, brightness);
  const factor = rng.uniform(1 - contrast, 1 + contrast);
  const hueShift = rng.uniform(-hue, hue);
  return {
    flipHorizontal: (spec.horizontalFlip ?? false) && h,
    flipVertical: (spec.verticalFlip ?? false) && v,
    angleDegrees: rotation > 0 ? angle : 0,
    scale: zoom > 0 ? scale : 1,
    cropX: zoom > 0 ? cropX : 0,
    cropY: zoom > 0 ? cropY : 0,
    brightnessDelta: brightness > 0 ? delta * 255 : 0,
    contrastFactor: contrast > 0 ? factor : 1,
    hueShift: hue > 0 ? hueShift : 0,
  };
}

/** Applies chosen parameters: flips, rotation with zoom (one resample), brightness and contrast, hue. */
export function applyAugment(image: Float32Array, height: number, width: number, params: AugmentParams, spec: AugmentSpec = {}): Float32Array {
  checkImage(image, height, width);
  let out = image;
  if (params.flipHorizontal) out = flipHorizontal(out, height, width);
  if (params.flipVertical) out = flipVertical(out, height, width);
  if (params.angleDegrees !== 0 || params.scale !== 1) {
    const warpParams = {
      angleDegrees: params.angleDegrees,
      scale: params.scale,
      // Zoom keeps the aspect ratio: the same fraction of each side.
      offsetX: params.cropX * (1 - params.scale) * width,
      offsetY: params.cropY * (1 - params.scale) * height,
    };
    out = warp(out, height, width, warpParams, { mode: spec.fillMode ?? 'reflect', value: spec.fillValue ?? 0 });
  }
  if (params.brightnessDelta !== 0 || params.contrastFactor !== 1) out = brightnessContrast(out, params.brightnessDelta, params.contrastFactor);
  if (params.hueShift !== 0) out = shiftHue(out, params.hueShift);
  return out === image ? image.slice() : out;
}

/** One randomly augmented copy of `image`, drawing from `rng`. */
export function augment(image: Float32Array, height: number, width: number, spec: AugmentSpec, rng: Rng): Float32Array {
  return applyAugment(image, height, width, sampleAugmentParams(spec, rng), spec);
}

/** The stream that decides variant `variant` of the image keyed `imageKey` (e.g. its content hash) in a run seeded `seed`. */
export function variantRng(seed: number, imageKey: string, variant: number): Rng {
  return createRng(deriveSeed(seed, 'augment', imageKey, variant));
}

/** Variant `variant` of an image: the same (seed, imageKey, variant) always gives the same pixels. */
export function augmentVariant(image: Float32Array, height: number, width: number, spec: AugmentSpec, seed: number, imageKey: string, variant: number): Float32Array {
  return augment(image, height, width, spec, variantRng(seed, imageKey, variant));
}
