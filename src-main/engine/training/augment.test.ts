import { describe, expect, it } from 'vitest';
import { GraftError } from '../../api/errors';
import type { AugmentSpec } from '../../api/types/training';
import { applyAugment, augment, augmentVariant, checkAugment, sampleAugmentParams, variantRng } from './augment';
import { flipHorizontal } from './augment-ops';
import { createRng } from './rng';

const H = 12;
const W = 10;

function randomImage(seed = 1): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: H * W * 3 }, () => rng.uniform(0, 255));
}

const EVERYTHING: AugmentSpec = {
  horizontalFlip: true,
  verticalFlip: true,
  rotationDegrees: 25,
  zoom: 0.3,
  brightness: 0.3,
  contrast: 0.5,
  hue: 0.2,
};

describe('augment', () => {
  it('variant k of an image is reproducible from (seed, image key, k) and differs across them', () => {
    const image = randomImage();
    const copy = image.slice();
    const a = augmentVariant(image, H, W, EVERYTHING, 42, 'sha256:abc', 3);
    expect(augmentVariant(image, H, W, EVERYTHING, 42, 'sha256:abc', 3)).toEqual(a);
    expect(augmentVariant(image, H, W, EVERYTHING, 42, 'sha256:abc', 4)).not.toEqual(a);
    expect(augmentVariant(image, H, W, EVERYTHING, 42, 'sha256:abd', 3)).not.toEqual(a);
    expect(augmentVariant(image, H, W, EVERYTHING, 43, 'sha256:abc', 3)).not.toEqual(a);
    expect(image).toEqual(copy);
  });

  it('keeps the shape and the 0–255 range', () => {
    const image = randomImage(2);
    for (let k = 0; k < 20; k++) {
      const out = augmentVariant(image, H, W, EVERYTHING, 1, 'img', k);
      expect(out).toBeInstanceOf(Float32Array);
      expect(out).toHaveLength(H * W * 3);
      for (const v of out) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(255);
      }
    }
  });

  it('an identity configuration returns an equal copy', () => {
    const image = randomImage(3);
    for (const spec of [{}, { horizontalFlip: false, rotationDegrees: 0, zoom: 0, brightness: 0, contrast: 0, hue: 0 }] as AugmentSpec[]) {
      const out = augment(image, H, W, spec, createRng(5));
      expect(out).toEqual(image);
      expect(out).not.toBe(image);
    }
  });

  it('a flip-only configuration gives the image or its exact mirror, both over many variants', () => {
    const image = randomImage(4);
    const mirror = flipHorizontal(image, H, W);
    let flipped = 0;
    for (let k = 0; k < 40; k++) {
      const out = augmentVariant(image, H, W, { horizontalFlip: true }, 9, 'img', k);
      const isMirror = out.every((v, i) => v === mirror[i]);
      expect(isMirror || out.every((v, i) => v === image[i])).toBe(true);
      if (isMirror) flipped++;
    }
    expect(flipped).toBeGreaterThan(5);
    expect(flipped).toBeLessThan(35);
  });

  it('turning one operation on or off leaves the other choices of a variant unchanged', () => {
    const withHue = sampleAugmentParams(EVERYTHING, variantRng(7, 'img', 2));
    const withoutHue = sampleAugmentParams({ ...EVERYTHING, hue: 0 }, variantRng(7, 'img', 2));
    expect(withoutHue).toEqual({ ...withHue, hueShift: 0 });
    const noRotation = sampleAugmentParams({ ...EVERYTHING, rotationDegrees: 0 }, variantRng(7, 'img', 2));
    expect(noRotation).toEqual({ ...withHue, angleDegrees: 0 });
  });

  it('draws parameters inside the configured ranges', () => {
    const rng = createRng(11);
    for (let i = 0; i < 500; i++) {
      const p = sampleAugmentParams(EVERYTHING, rng);
      expect(Math.abs(p.angleDegrees)).toBeLessThanOrEqual(25);
      expect(p.scale).toBeGreaterThanOrEqual(0.7);
      expect(p.scale).toBeLessThanOrEqual(1);
      expect(Math.abs(p.brightnessDelta)).toBeLessThanOrEqual(0.3 * 255);
      expect(Math.abs(p.contrastFactor - 1)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(p.hueShift)).toBeLessThanOrEqual(0.2);
    }
  });

  it('applies chosen parameters in order: a flip then a 180° turn is a vertical flip', () => {
    const image = randomImage(6);
    const params = { flipHorizontal: true, flipVertical: false, angleDegrees: 180, scale: 1, cropX: 0, cropY: 0, brightnessDelta: 0, contrastFactor: 1, hueShift: 0 };
    const out = applyAugment(image, H, W, params);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        for (let c = 0; c < 3; c++) expect(out[(y * W + x) * 3 + c]!).toBeCloseTo(image[((H - 1 - y) * W + x) * 3 + c]!, 3);
      }
    }
  });

  it('refuses out-of-range settings and mis-sized images', () => {
    for (const spec of [{ rotationDegrees: 200 }, { zoom: 1 }, { brightness: -0.1 }, { hue: 0.6 }, { contrast: Number.NaN }, { fillValue: 300 }] as AugmentSpec[]) {
      expect(() => checkAugment(spec)).toThrow(GraftError);
    }
    expect(() => checkAugment(EVERYTHING)).not.toThrow();
    expect(() => augment(new Float32Array(5), H, W, {}, createRng(1))).toThrow(RangeError);
  });
});
