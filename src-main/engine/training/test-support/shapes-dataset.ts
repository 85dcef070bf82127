import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { SplitName } from '../../../api/types/library';
import type { DatasetSnapshot, RunImage } from '../../../api/types/runs';
import { createRng, type Rng } from '../rng';

/** True where (u, v), in −1…1 around a shape's centre, is inside it. */
type Shape = (u: number, v: number) => boolean;

const SHAPES: Record<string, Shape> = {
  circle: (u, v) => u * u + v * v <= 1,
  square: (u, v) => Math.abs(u) <= 0.8 && Math.abs(v) <= 0.8,
  triangle: (u, v) => v <= 0.8 && Math.abs(u) <= (v + 1) / 1.8,
  cross: (u, v) => (Math.abs(u) <= 0.28 && Math.abs(v) <= 0.95) || (Math.abs(v) <= 0.28 && Math.abs(u) <= 0.95),
  ring: (u, v) => u * u + v * v <= 1 && u * u + v * v >= 0.45,
};

function colour(rng: Rng): [number, number, number] {
  return [rng.int(256), rng.int(256), rng.int(256)];
}

/**
 * A harder image set than colour families: the class is the shape (circle, square, triangle,
 * cross, ring), while colours, background, size, position, rotation, clutter and noise are
 * random and independent of it. Split 60/20/20 per class. Returns the run snapshot.
 */
export async function writeShapesDataset(dir: string, options: { classes?: number; perClass?: number; size?: number; seed?: number } = {}): Promise<DatasetSnapshot> {
  const names = Object.keys(SHAPES).slice(0, options.classes ?? 4);
  const perClass = options.perClass ?? 40;
  const size = options.size ?? 96;
  const rng = createRng(options.seed ?? 11);
  fs.mkdirSync(dir, { recursive: true });
  const images: RunImage[] = [];
  let id = 1;
  for (const [label, name] of names.entries()) {
    for (let i = 0; i < perClass; i++) {
      const pixels = drawImage(SHAPES[name]!, size, rng);
      const png = await sharp(pixels, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer();
      const file = path.join(dir, `${name}_${i}.png`);
      fs.writeFileSync(file, png);
      const split: SplitName = i < perClass * 0.6 ? 'train' : i < perClass * 0.8 ? 'validation' : 'test';
      images.push({ imageId: id++, contentHash: createHash('sha256').update(png).digest('hex'), path: file, label, split });
    }
  }
  return { classes: names, images };
}

function drawImage(shape: Shape, size: number, rng: Rng): Buffer {
  const pixels = Buffer.alloc(size * size * 3);
  const background = colour(rng);
  const ink = colour(rng);
  const radius = size * rng.uniform(0.18, 0.34);
  const cx = rng.uniform(radius, size - radius);
  const cy = rng.uniform(radius, size - radius);
  const angle = rng.uniform(0, Math.PI * 2);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  // Two clutter lines in a third colour, so edges alone do not name the class.
  const clutter = colour(rng);
  const lines = Array.from({ length: 2 }, () => ({ a: rng.uniform(-1, 1), b: rng.uniform(-1, 1), c: rng.uniform(-size, size) }));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = (x - cx) / radius;
      const dy = (y - cy) / radius;
      const u = cos * dx + sin * dy;
      const v = -sin * dx + cos * dy;
      const onLine = lines.some((l) => Math.abs(l.a * x + l.b * y + l.c) / Math.hypot(l.a, l.b) < 1.2);
      const base = shape(u, v) ? ink : onLine ? clutter : background;
      const o = (y * size + x) * 3;
      for (let k = 0; k < 3; k++) pixels[o + k] = Math.max(0, Math.min(255, Math.round(base[k]! + rng.normal(0, 12))));
    }
  }
  return pixels;
}
