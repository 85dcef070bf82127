import { describe, expect, it } from 'vitest';
import { brightnessContrast, checkImage, flipHorizontal, flipVertical, hsvToRgb, rgbToHsv, shiftHue, warp, type WarpFill } from './augment-ops';
import { createRng } from './rng';

const REFLECT: WarpFill = { mode: 'reflect', value: 0 };

function randomImage(height: number, width: number, seed = 1): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: height * width * 3 }, () => rng.uniform(0, 255));
}

/** Pixel (y, x) channel c. */
const at = (image: Float32Array, width: number, y: number, x: number, c = 0): number => image[(y * width + x) * 3 + c]!;

/** out[y][x] = in[x][y] for a square image. */
function transpose(image: Float32Array, side: number): Float32Array {
  const out = new Float32Array(image.length);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) out.set(image.subarray((x * side + y) * 3, (x * side + y) * 3 + 3), (y * side + x) * 3);
  return out;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('flips', () => {
  // 2 × 3 image; pixel value = 10·row + column in every channel.
  const image = Float32Array.from({ length: 18 }, (_, i) => 10 * Math.floor(i / 9) + Math.floor((i % 9) / 3));

  it('mirror exactly and undo themselves', () => {
    const h = flipHorizontal(image, 2, 3);
    expect([0, 1, 2].map((x) => at(h, 3, 0, x))).toEqual([2, 1, 0]);
    expect([0, 1, 2].map((x) => at(h, 3, 1, x))).toEqual([12, 11, 10]);
    const v = flipVertical(image, 2, 3);
    expect([0, 1, 2].map((x) => at(v, 3, 0, x))).toEqual([10, 11, 12]);
    expect(flipHorizontal(h, 2, 3)).toEqual(image);
    expect(flipVertical(v, 2, 3)).toEqual(image);
  });

  it('keep channels together', () => {
    const rgb = Float32Array.from([1, 2, 3, 4, 5, 6]);
    expect(Array.from(flipHorizontal(rgb, 1, 2))).toEqual([4, 5, 6, 1, 2, 3]);
  });

  it('refuse a buffer of the wrong size', () => {
    expect(() => checkImage(new Float32Array(10), 2, 2)).toThrow(RangeError);
  });
});

describe('warp (rotation and zoom, bilinear)', () => {
  it('is the identity without rotation or crop', () => {
    const image = randomImage(7, 5);
    expect(warp(image, 7, 5, { angleDegrees: 0, scale: 1, offsetX: 0, offsetY: 0 }, REFLECT)).toEqual(image);
  });

  it.each([4, 5])('turns a %i×%i square 90° counter-clockwise = transpose then vertical flip', (side) => {
    const image = randomImage(side, side, side);
    const turned = warp(image, side, side, { angleDegrees: 90, scale: 1, offsetX: 0, offsetY: 0 }, REFLECT);
    expect(maxAbsDiff(turned, flipVertical(transpose(image, side), side, side))).toBeLessThan(1e-3);
    const back = warp(image, side, side, { angleDegrees: -90, scale: 1, offsetX: 0, offsetY: 0 }, REFLECT);
    expect(maxAbsDiff(back, flipHorizontal(transpose(image, side), side, side))).toBeLessThan(1e-3);
  });

  it('turns 180° = both flips, on a non-square image too', () => {
    const image = randomImage(4, 6);
    const turned = warp(image, 4, 6, { angleDegrees: 180, scale: 1, offsetX: 0, offsetY: 0 }, REFLECT);
    expect(maxAbsDiff(turned, flipVertical(flipHorizontal(image, 4, 6), 4, 6))).toBeLessThan(1e-3);
  });

  it('fills outside the image by reflection or with a constant', () => {
    const grey = new Float32Array(9 * 9 * 3).fill(100);
    const reflected = warp(grey, 9, 9, { angleDegrees: 45, scale: 1, offsetX: 0, offsetY: 0 }, REFLECT);
    expect(maxAbsDiff(reflected, grey)).toBeLessThan(1e-3);
    const constant = warp(grey, 9, 9, { angleDegrees: 45, scale: 1, offsetX: 0, offsetY: 0 }, { mode: 'constant', value: 7 });
    // The corners of a 45° turn lie outside the source; the centre does not.
    expect(at(constant, 9, 0, 0)).toBeCloseTo(7, 4);
    expect(at(constant, 9, 8, 8, 2)).toBeCloseTo(7, 4);
    expect(at(constant, 9, 4, 4)).toBeCloseTo(100, 4);
  });

  it('zooms by cropping and resizing back: a linear ramp stays linear, stretched', () => {
    // Channel 0 = column index, so bilinear sampling gives the source x coordinate exactly.
    const ramp = Float32Array.from({ length: 8 * 8 * 3 }, (_, i) => Math.floor(i / 3) % 8);
    const zoomed = warp(ramp, 8, 8, { angleDegrees: 0, scale: 0.5, offsetX: 2, offsetY: 2 }, REFLECT);
    // Output pixel x samples source x = 2 + 0.5·(x + 0.5) − 0.5.
    for (let x = 0; x < 8; x++) expect(at(zoomed, 8, 3, x)).toBeCloseTo(1.75 + 0.5 * x, 5);
  });

  it('keeps values inside the source range (bilinear is a convex mix)', () => {
    const image = randomImage(16, 12, 3);
    const out = warp(image, 16, 12, { angleDegrees: 33, scale: 0.8, offsetX: 1.3, offsetY: 2.1 }, REFLECT);
    expect(Math.min(...out)).toBeGreaterThanOrEqual(Math.min(...image) - 1e-3);
    expect(Math.max(...out)).toBeLessThanOrEqual(Math.max(...image) + 1e-3);
  });
});

describe('colour', () => {
  it('brightness adds, contrast scales about each channel mean, both clip', () => {
    const image = Float32Array.from([10, 20, 30, 50, 60, 70]);
    expect(Array.from(brightnessContrast(image, 10, 1))).toEqual([20, 30, 40, 60, 70, 80]);
    // After +10 the channel means are 40, 50, 60; doubling distances gives 0/80, 10/90, 20/100.
    expect(Array.from(brightnessContrast(image, 10, 2))).toEqual([0, 10, 20, 80, 90, 100]);
    expect(Array.from(brightnessContrast(image, 250, 1))).toEqual([255, 255, 255, 255, 255, 255]);
    expect(Array.from(brightnessContrast(image, 0, 0))).toEqual([30, 40, 50, 30, 40, 50]);
  });

  it('HSV round-trips and knows the primaries', () => {
    expect(rgbToHsv(1, 0, 0)).toEqual([0, 1, 1]);
    expect(rgbToHsv(0, 1, 0)[0]).toBeCloseTo(1 / 3, 12);
    expect(rgbToHsv(0, 0, 1)[0]).toBeCloseTo(2 / 3, 12);
    expect(rgbToHsv(0.5, 0.5, 0.5)).toEqual([0, 0, 0.5]);
    const rng = createRng(4);
    for (let i = 0; i < 200; i++) {
      const rgb = [rng.next(), rng.next(), rng.next()] as const;
      const back = hsvToRgb(...rgbToHsv(...rgb));
      back.forEach((v, c) => expect(v).toBeCloseTo(rgb[c]!, 10));
    }
  });

  it('hue shift turns red to green to blue, leaves greys alone, and a full turn changes nothing', () => {
    const pixels = Float32Array.from([255, 0, 0, 128, 128, 128]);
    const third = shiftHue(pixels, 1 / 3);
    expect(Array.from(third).map(Math.round)).toEqual([0, 255, 0, 128, 128, 128]);
    expect(Array.from(shiftHue(pixels, -1 / 3)).map(Math.round)).toEqual([0, 0, 255, 128, 128, 128]);
    const image = randomImage(5, 5, 9);
    expect(maxAbsDiff(shiftHue(image, 1), image)).toBeLessThan(1e-3);
    const shifted = shiftHue(image, 0.37);
    expect(Math.min(...shifted)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...shifted)).toBeLessThanOrEqual(255);
  });
});
