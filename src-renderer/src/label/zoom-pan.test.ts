import { describe, expect, it } from 'vitest';
import { clampPan, FIT, fitScale, maxZoom, panBy, pixelScale, zoomAt, type ZoomBox } from './zoom-pan';

// A 12,000 × 8,000 photo in a 1,200 × 600 stage: the height binds (600 / 8,000 = 0.075).
const box: ZoomBox = { stageWidth: 1200, stageHeight: 600, imageWidth: 12_000, imageHeight: 8_000 };

describe('zoom and pan', () => {
  it('fits the image by its tighter side', () => {
    expect(fitScale(box)).toBeCloseTo(0.075);
    expect(pixelScale(FIT, box)).toBeCloseTo(0.075);
  });

  it('keeps the point under the mouse in place while zooming', () => {
    const point = { x: 200, y: -100 };
    const view = zoomAt(FIT, 4, point, box);
    expect(view.zoom).toBe(4);
    // The image point under the mouse: (point - pan) / scale, the same before and after.
    const before = { x: (point.x - FIT.x) / pixelScale(FIT, box), y: (point.y - FIT.y) / pixelScale(FIT, box) };
    const after = { x: (point.x - view.x) / pixelScale(view, box), y: (point.y - view.y) / pixelScale(view, box) };
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
  });

  it('never zooms out past the fit, nor in past 8 screen pixels per image pixel', () => {
    expect(zoomAt(FIT, 0.5, { x: 0, y: 0 }, box)).toEqual(FIT);
    const deep = zoomAt(FIT, 1e6, { x: 0, y: 0 }, box);
    expect(pixelScale(deep, box)).toBeCloseTo(8);
    const tiny: ZoomBox = { stageWidth: 1000, stageHeight: 800, imageWidth: 100, imageHeight: 100 };
    expect(maxZoom(tiny)).toBe(2);
  });

  it('pans only as far as the image overflows the stage', () => {
    expect(panBy(FIT, 300, 300, box)).toEqual(FIT);
    const zoomed = { zoom: 2, x: 0, y: 0 };
    // At zoom 2 the image is 1,800 × 1,200 on a 1,200 × 600 stage: 300 px of slack each way in both directions.
    expect(panBy(zoomed, 1000, -1000, box)).toEqual({ zoom: 2, x: 300, y: -300 });
    expect(clampPan({ zoom: 1, x: 50, y: 50 }, box)).toEqual({ zoom: 1, x: 0, y: 0 });
  });
});
