import path from 'node:path';
import type { ImageFormat } from '../../api/types/library';

const RASTER_EXTENSIONS: ReadonlyMap<string, ImageFormat> = new Map([
  ['.jpg', 'jpeg'],
  ['.jpeg', 'jpeg'],
  ['.jpe', 'jpeg'],
  ['.jfif', 'jpeg'],
  ['.png', 'png'],
  ['.webp', 'webp'],
  ['.gif', 'gif'],
  ['.tif', 'tiff'],
  ['.tiff', 'tiff'],
  ['.avif', 'avif'],
]);

const MIME_TYPES: Readonly<Record<ImageFormat, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  tiff: 'image/tiff',
  avif: 'image/avif',
  svg: 'image/svg+xml',
};

/** True when a file name has an extension the import looks at. */
export function hasImageExtension(filePath: string, allowSvg: boolean): boolean {
  const ext = path.extname(filePath).toLowerCase();
  return RASTER_EXTENSIONS.has(ext) || (allowSvg && ext === '.svg');
}

/** Why a file was passed over because of its extension, in words. */
export function unsupportedExtensionReason(filePath: string): string {
  const ext = path.extname(filePath).toLowerCase();
  if (ext === '.svg') return 'SVG import is off (enable the SVG option to include vector images)';
  return ext ? `not a supported image type (${ext})` : 'not a supported image type (no extension)';
}

/**
 * Maps sharp's decoder name to a library format, or null when the decoded content is not
 * something the library accepts (a PDF named .jpg, HEIC, SVG with SVG off …).
 */
export function acceptedFormat(decoder: string, compression: string | undefined, allowSvg: boolean): ImageFormat | null {
  switch (decoder) {
    case 'jpeg':
    case 'png':
    case 'webp':
    case 'gif':
    case 'tiff':
      return decoder;
    case 'heif':
      // sharp's bundled libheif decodes AV1 (AVIF) only; HEVC (HEIC) would fail later anyway.
      return compression === 'av1' ? 'avif' : null;
    case 'svg':
      return allowSvg ? 'svg' : null;
    default:
      return null;
  }
}

/** The MIME type to serve an original of this format with. */
export function mimeTypeOf(format: ImageFormat): string {
  return MIME_TYPES[format];
}

/** True for a string that names a library format (rows read back from the database). */
export function isImageFormat(value: string): value is ImageFormat {
  return Object.hasOwn(MIME_TYPES, value);
}
