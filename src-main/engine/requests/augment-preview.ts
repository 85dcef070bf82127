import sharp from 'sharp';
import type { AugmentPreview } from '../../api/types/runs';
import { loadImageRgb } from '../inference/load-image';
import type { EngineAugmentPreviewParams } from '../protocol';
import { augmentVariant, checkAugment } from '../training/augment';
import type { EngineContext } from '../worker/engine-context';

/** PNG data URL of RGB float pixels (0–255). */
async function pngDataUrl(pixels: ArrayLike<number>, size: number): Promise<string> {
  const bytes = Buffer.from(Uint8ClampedArray.from(pixels));
  const png = await sharp(bytes, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

/**
 * The engine's `augmentPreview`: what a run's augmentation does to a few real images — the
 * exact variants the run caches (variant k of an image is reproducible from the seed).
 */
export async function runAugmentPreview(params: EngineAugmentPreviewParams, ctx: EngineContext<'augmentPreview'>): Promise<AugmentPreview> {
  checkAugment(params.augment);
  const images: AugmentPreview['images'] = [];
  for (const image of params.images) {
    await ctx.checkpoint();
    const pixels = Float32Array.from(await loadImageRgb(image.path, { width: params.size, height: params.size }));
    const variants: string[] = [];
    for (let k = 0; k < params.variants; k++) {
      const out = k === 0 ? pixels : augmentVariant(pixels, params.size, params.size, params.augment, params.seed, image.contentHash, k);
      variants.push(await pngDataUrl(out, params.size));
    }
    images.push({ imageId: image.imageId, variants });
  }
  return { images };
}
