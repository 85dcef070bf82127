import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { makeTempDir } from './temp-dirs';

/** A shape per class, drawn at a random place and size over a random background, so the classes are learnable but not identical. */
const SHAPES: Record<string, (x: number, y: number, r: number, fill: string) => string> = {
  circles: (x, y, r, fill) => `<circle cx="${x}" cy="${y}" r="${r}" fill="${fill}"/>`,
  squares: (x, y, r, fill) => `<rect x="${x - r}" y="${y - r}" width="${2 * r}" height="${2 * r}" fill="${fill}"/>`,
  triangles: (x, y, r, fill) => `<polygon points="${x},${y - r} ${x + r},${y + r} ${x - r},${y + r}" fill="${fill}"/>`,
};

/** A seeded generator, so every run of the test sees the same photos. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** Writes `perClass` JPEGs of each class into `<root>/<class>/` (an ImageFolder tree) and returns the root. */
export async function generateLabelledPhotos(perClass: number, size = 96): Promise<string> {
  const root = makeTempDir('graft-e2e-labelled-');
  const next = random(7);
  const grey = () => Math.round(60 + next() * 140);
  for (const [name, draw] of Object.entries(SHAPES)) {
    fs.mkdirSync(path.join(root, name));
    for (let i = 0; i < perClass; i++) {
      const r = Math.round(size * (0.18 + next() * 0.12));
      const x = Math.round(r + next() * (size - 2 * r));
      const y = Math.round(r + next() * (size - 2 * r));
      const hue = Math.round(next() * 360);
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="100%" height="100%" fill="rgb(${grey()},${grey()},${grey()})"/>${draw(x, y, r, `hsl(${hue},80%,50%)`)}</svg>`;
      const jpeg = await sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
      fs.writeFileSync(path.join(root, name, `${name}-${String(i).padStart(3, '0')}.jpg`), jpeg);
    }
  }
  return root;
}
