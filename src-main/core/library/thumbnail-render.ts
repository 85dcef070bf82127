import sharp from 'sharp';

/** JPEG quality for grid thumbnails: small files, no visible blocking at 256 px. */
const THUMBNAIL_QUALITY = 80;

/**
 * Decodes an image, turns it upright (EXIF orientation) and shrinks it to fit `size`×`size` as a
 * JPEG. One decode: JPEG and WebP shrink while loading (the decoder still reads every byte, so
 * with `failOn: 'truncated'` a damaged or cut-short file fails here). Huffman tables are not
 * optimised: a second pass over the output for ~5 % smaller 256-px files is not worth it.
 */
export async function renderThumbnail(input: Buffer | string, size: number, maxPixels: number): Promise<Buffer> {
  return sharp(input, { failOn: 'truncated', limitInputPixels: maxPixels })
    .rotate()
    .resize(size, size, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: THUMBNAIL_QUALITY, optimiseCoding: false })
    .toBuffer();
}
