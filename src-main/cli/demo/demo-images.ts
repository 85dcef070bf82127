import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

/** One class of the demo set: a shape drawn in a colour family. */
interface DemoClass {
  name: string;
  /** Base colour; each image jitters it. */
  rgb: [number, number, number];
  /** True where (u, v), in −1…1 around the shape's centre, is inside the shape. */
  inside(u: number, v: number): boolean;
}

/** The demo's classes: a shape and a colour family each, so a pretrained trunk tells them apart at a glance. */
const DEMO_CLASSES: readonly DemoClass[] = [
  { name: 'circles', rgb: [215, 70, 55], inside: (u, v) => u * u + v * v <= 1 },
  { name: 'squares', rgb: [55, 95, 210], inside: (u, v) => Math.abs(u) <= 0.85 && Math.abs(v) <= 0.85 },
  { name: 'triangles', rgb: [60, 170, 75], inside: (u, v) => v <= 0.8 && Math.abs(u) <= (v + 1) / 1.8 },
];

/** What `writeDemoImages` made. */
export interface DemoImageSet {
  dir: string;
  classes: { name: string; images: number }[];
  size: number;
}

/** Settings of the generated set. */
export interface DemoImageOptions {
  /** Images per class (default 40). */
  perClass?: number;
  /** How many of the demo's classes to draw, in order (default: all three). */
  classes?: number;
  /** Side of each image in pixels (default 128). */
  size?: number;
  /** Seed of every random choice: the same seed writes the same bytes. */
  seed?: number;
}

/** Names of the demo's classes, in order. */
export const DEMO_CLASS_NAMES: readonly string[] = DEMO_CLASSES.map((c) => c.name);

/**
 * Writes the demo's labelled photos as PNGs in `dir/<class>/`: per class, its shape at a
 * random place, size and angle, in a jittered colour, on a noisy background of random
 * brightness. Seeded, so every machine writes the same files (and the demo's figures repeat).
 */
export async function writeDemoImages(dir: string, options: DemoImageOptions = {}): Promise<DemoImageSet> {
  const perClass = options.perClass ?? 40;
  const size = options.size ?? 128;
  const random = seededRandom(options.seed ?? 2024);
  const classes: DemoImageSet['classes'] = [];
  for (const demoClass of DEMO_CLASSES.slice(0, options.classes ?? DEMO_CLASSES.length)) {
    const folder = path.join(dir, demoClass.name);
    fs.mkdirSync(folder, { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const pixels = drawImage(demoClass, size, random);
      const png = await sharp(pixels, { raw: { width: size, height: size, channels: 3 } }).png({ compressionLevel: 6 }).toBuffer();
      fs.writeFileSync(path.join(folder, `${demoClass.name}-${String(i + 1).padStart(3, '0')}.png`), png);
    }
    classes.push({ name: demoClass.name, images: perClass });
  }
  return { dir, classes, size };
}

/** Draws one image of a class as raw RGB bytes. */
function drawImage(demoClass: DemoClass, size: number, random: () => number): Buffer {
  const pixels = Buffer.alloc(size * size * 3);
  const background = 70 + random() * 150;
  const tint = [random() * 40 - 20, random() * 40 - 20, random() * 40 - 20];
  const colour = demoClass.rgb.map((c) => c + random() * 50 - 25);
  const radius = size * (0.18 + random() * 0.14);
  const cx = radius + random() * (size - 2 * radius);
  const cy = radius + random() * (size - 2 * radius);
  const angle = (random() - 0.5) * 0.6;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = (x + 0.5 - cx) / radius;
      const dy = (y + 0.5 - cy) / radius;
      const inside = demoClass.inside(cos * dx + sin * dy, -sin * dx + cos * dy);
      const o = (y * size + x) * 3;
      for (let ch = 0; ch < 3; ch++) {
        const base = inside ? colour[ch]! : background + tint[ch]!;
        pixels[o + ch] = clampByte(base + gaussian(random) * 8);
      }
    }
  }
  return pixels;
}

function clampByte(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)));
}

/** A standard normal draw (Box–Muller). */
function gaussian(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** mulberry32: small, fast and the same on every platform, which is all the demo's pictures need. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
