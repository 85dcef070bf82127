/** How the large view shows an image: zoom relative to "fit in the window" (1), and the pan in screen pixels. */
export interface ZoomView {
  zoom: number;
  x: number;
  y: number;
}

/** The stage and the image's full size (as shown upright). */
export interface ZoomBox {
  stageWidth: number;
  stageHeight: number;
  imageWidth: number;
  imageHeight: number;
}

/** The view of a freshly opened image: fitted and centred. */
export const FIT: ZoomView = { zoom: 1, x: 0, y: 0 };

/** Past this many screen pixels per image pixel zooming stops (8×: single pixels are squares already). */
const MAX_PIXEL_SCALE = 8;

/** Screen pixels per image pixel when the image fits the stage. */
export function fitScale(box: ZoomBox): number {
  if (box.imageWidth <= 0 || box.imageHeight <= 0 || box.stageWidth <= 0 || box.stageHeight <= 0) return 1;
  return Math.min(box.stageWidth / box.imageWidth, box.stageHeight / box.imageHeight);
}

/** Screen pixels per image pixel at a view (1 = "100 %"). */
export function pixelScale(view: ZoomView, box: ZoomBox): number {
  return fitScale(box) * view.zoom;
}

/** The largest zoom for a box: at least twice the fit, at most 8 screen pixels per image pixel beyond that. */
export function maxZoom(box: ZoomBox): number {
  return Math.max(2, MAX_PIXEL_SCALE / fitScale(box));
}

/** Keeps the image from being dragged out of sight: it may move only as far as it overflows the stage. */
export function clampPan(view: ZoomView, box: ZoomBox): ZoomView {
  const scale = pixelScale(view, box);
  const limitX = Math.max(0, (box.imageWidth * scale - box.stageWidth) / 2);
  const limitY = Math.max(0, (box.imageHeight * scale - box.stageHeight) / 2);
  return { zoom: view.zoom, x: clamp(view.x, -limitX, limitX), y: clamp(view.y, -limitY, limitY) };
}

/**
 * Zooms by `factor` about a point given relative to the stage centre (the mouse for the
 * wheel, the centre for + and −), so what is under that point stays under it.
 */
export function zoomAt(view: ZoomView, factor: number, point: { x: number; y: number }, box: ZoomBox): ZoomView {
  const zoom = clamp(view.zoom * factor, 1, maxZoom(box));
  const ratio = zoom / view.zoom;
  return clampPan({ zoom, x: point.x - (point.x - view.x) * ratio, y: point.y - (point.y - view.y) * ratio }, box);
}

/** Moves the image by a drag of (dx, dy) screen pixels. */
export function panBy(view: ZoomView, dx: number, dy: number, box: ZoomBox): ZoomView {
  return clampPan({ zoom: view.zoom, x: view.x + dx, y: view.y + dy }, box);
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
