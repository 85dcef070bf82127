import sharp, { type Sharp } from 'sharp';
import { imageFailureReason, tooLargeReason } from '../../base/image-failure';
import { ImageSourceRefusal, openImageSource, type ImageSource } from '../../base/image-source';

/** Pixel size a model takes. */
export interface TargetSize {
  width: number;
  height: number;
}

/**
 * How pixels are resampled to the model's size. Keras's `load_img(target_size=…)` uses
 * nearest by default; Graft defaults to bilinear (libvips' linear kernel, which also
 * averages when shrinking), which aliases less on large photos. The difference shifts
 * features slightly, not predictions in any way that matters.
 */
export type Resample = 'bilinear' | 'nearest';

/** Why an image produced no pixels; the message is the user-facing reason. */
export class ImageLoadError extends Error {
  override readonly name = 'ImageLoadError';
}

/** Largest pixel count decoded (sharp's own default); more is treated as a decompression bomb. */
const MAX_PIXELS = 0x3fff * 0x3fff;

function openImage(input: Buffer | string): Sharp {
  return sharp(input, { failOn: 'truncated', limitInputPixels: MAX_PIXELS });
}

/**
 * Decodes an image file to the model's input as Keras prepares it: turned upright by its EXIF
 * orientation, alpha dropped (not composited — as PIL's `convert('RGB')`), greyscale and CMYK
 * turned to sRGB, stretched to `size` without keeping the aspect ratio (as `load_img` does).
 * Returns height × width × 3 bytes, row-major RGB. Throws ImageLoadError with a reason.
 */
export async function loadImageRgb(file: string, size: TargetSize, resample: Resample = 'bilinear'): Promise<Uint8Array> {
  // Only a regular file of a size an image can have is decoded: a FIFO would park one of
  // libvips' threads forever, and /dev/zero or a folder would give a misleading reason.
  let source: ImageSource;
  try {
    source = await openImageSource(file);
  } catch (error) {
    if (error instanceof ImageSourceRefusal) throw new ImageLoadError(error.message);
    throw error;
  }
  try {
    return await decode(source, size, resample);
  } finally {
    await source.close();
  }
}

async function decode(source: ImageSource, size: TargetSize, resample: Resample): Promise<Uint8Array> {
  const file = source.input;
  // Most photos have no alpha: one pass (one trip to sharp's threads, JPEG shrink-on-load)
  // gives exactly what the careful path gives. An image that needed premultiplying, or any
  // failure, goes the careful way, which also finds the reason a user can act on.
  const quick = await toModelInput(openImage(file).rotate(), size, resample).catch(() => null);
  if (quick && !quick.premultiplied) return quick.pixels;
  return loadCarefully(source, size, resample);
}

/** Resizes, drops alpha and converts to sRGB bytes; says whether sharp premultiplied alpha to resize. */
async function toModelInput(pipeline: Sharp, size: TargetSize, resample: Resample): Promise<{ pixels: Uint8Array; premultiplied: boolean }> {
  const { data, info } = await pipeline
    .resize(size.width, size.height, { fit: 'fill', kernel: resample === 'nearest' ? 'nearest' : 'linear' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || info.width !== size.width || info.height !== size.height) {
    throw new Error(`decoded to ${info.width}×${info.height}×${info.channels}, expected ${size.width}×${size.height}×3`);
  }
  return { pixels: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), premultiplied: info.premultiplied };
}

/**
 * The header first (for a precise reason, and to see alpha), then alpha dropped at full size
 * before resizing. Reasons come from base/image-failure, worded as the import words them.
 */
async function loadCarefully(source: ImageSource, size: TargetSize, resample: Resample): Promise<Uint8Array> {
  const file = source.input;
  let hasAlpha: boolean;
  try {
    const meta = await openImage(file).metadata();
    hasAlpha = meta.hasAlpha;
    if ((meta.width ?? 0) * (meta.height ?? 0) > MAX_PIXELS) {
      throw new ImageLoadError(tooLargeReason(meta.width ?? 0, meta.height ?? 0, MAX_PIXELS));
    }
  } catch (error) {
    if (error instanceof ImageLoadError) throw error;
    throw new ImageLoadError(imageFailureReason(source.failure('header')));
  }
  try {
    let pipeline: Sharp;
    if (hasAlpha) {
      // sharp resizes with premultiplied alpha, which would darken transparent areas towards
      // black; drop alpha at full size first so transparent pixels keep their colour, as in Keras.
      const flat = await openImage(file).rotate().removeAlpha().toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
      pipeline = sharp(flat.data, { raw: { width: flat.info.width, height: flat.info.height, channels: flat.info.channels } });
    } else {
      pipeline = openImage(file).rotate();
    }
    return (await toModelInput(pipeline, size, resample)).pixels;
  } catch {
    throw new ImageLoadError(imageFailureReason(source.failure('decode')));
  }
}
