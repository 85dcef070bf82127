/**
 * Test helpers: generated photo folders (good images in every format, nested folders, EXIF
 * orientation, and every kind of bad file) and throwaway projects. Used by the library tests
 * and the benchmarks; nothing here runs on import.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { createProject, type Project } from '../project/project';

/** A temporary directory removed (permissions restored first) by `cleanup`. */
export interface TempDir {
  dir: string;
  cleanup(): void;
}

/** Makes a temporary directory. */
export function makeTempDir(prefix = 'graft-lib-'): TempDir {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    cleanup() {
      restorePermissions(dir);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function restorePermissions(dir: string): void {
  try {
    fs.chmodSync(dir, 0o755);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) restorePermissions(full);
      else fs.chmodSync(full, 0o644);
    }
  } catch {
    // Best effort: rmSync reports what is left.
  }
}

/**
 * Closes what a test opened, then removes its temporary directory, for `afterEach`: the
 * directory goes even when closing fails or a `beforeEach` failed before opening anything.
 */
export function cleanUp(tmp: TempDir | undefined, ...opened: (Project | undefined)[]): void {
  try {
    for (const project of opened) project?.dispose();
  } finally {
    tmp?.cleanup();
  }
}

/** A fresh project in a temporary folder. */
export function makeProject(tmp: TempDir, name = 'project'): Project {
  return createProject(path.join(tmp.dir, name));
}

/** Distinct solid colour for the n-th generated image, so every file hashes differently. */
function colorFor(n: number): { r: number; g: number; b: number } {
  return { r: (n * 67) % 256, g: (n * 131 + 40) % 256, b: (n * 29 + 90) % 256 };
}

/** Encodes a small image whose colour depends on `n`. */
export async function makeImage(
  format: 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif',
  n: number,
  width = 64,
  height = 48,
): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: colorFor(n) } });
  switch (format) {
    case 'jpeg':
      return image.jpeg().toBuffer();
    case 'png':
      return image.png().toBuffer();
    case 'webp':
      return image.webp().toBuffer();
    case 'gif':
      return image.gif().toBuffer();
    case 'tiff':
      return image.tiff().toBuffer();
    case 'avif':
      return image.avif({ effort: 0 }).toBuffer();
  }
}

/**
 * A 300×200 JPEG stored sideways with EXIF orientation 6: displayed upright it is 200×300,
 * red on top and blue below.
 */
export async function makeOrientedJpeg(): Promise<Buffer> {
  const left = await sharp({ create: { width: 150, height: 200, channels: 3, background: { r: 255, g: 0, b: 0 } } }).png().toBuffer();
  return sharp({ create: { width: 300, height: 200, channels: 3, background: { r: 0, g: 0, b: 255 } } })
    .composite([{ input: left, left: 0, top: 0 }])
    .jpeg()
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** A PNG whose header claims 100000×100000 pixels: a few hundred bytes on disk. */
export function makeDecompressionBomb(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(100_000, 0);
  header.writeUInt32BE(100_000, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.alloc(1024))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** True when chmod 000 does not stop this process reading (running as root). */
export function permissionsAreIgnored(tmpDir: string): boolean {
  const probe = path.join(tmpDir, `.perm-probe-${process.pid}`);
  fs.writeFileSync(probe, 'x');
  fs.chmodSync(probe, 0);
  try {
    fs.readFileSync(probe);
    return true;
  } catch {
    return false;
  } finally {
    fs.chmodSync(probe, 0o644);
    fs.rmSync(probe);
  }
}

/** The generated photo folder and what a test should expect from it. */
export interface PhotoFixture {
  root: string;
  /** Good photos (relative path → folder names), all distinct. */
  good: string[];
  /** Relative path of a byte-for-byte copy of `cats/indoor/cat1.jpg`. */
  duplicate: string;
  /** Relative paths that must be skipped, with a word their reason contains. */
  bad: Record<string, RegExp>;
  /** Relative paths made unreadable with chmod 000 (readable anyway when running as root). */
  locked: { file: string; folderFile: string };
  permissionsIgnored: boolean;
}

/**
 * Builds the standard test folder:
 * cats/{indoor,outdoor}, dogs/{big,small} (2 deep, jpg/png/webp/gif/tiff/avif, one rotated
 * JPEG), a duplicate, and bad/ with every failure the import must survive.
 */
export async function makePhotoFolder(parent: string): Promise<PhotoFixture> {
  const root = path.join(parent, 'photos');
  const write = (rel: string, data: Buffer | string) => {
    const full = path.join(root, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, data);
  };
  const cat1 = await makeOrientedJpeg();
  write('cats/indoor/cat1.jpg', cat1);
  write('cats/indoor/cat2.png', await makeImage('png', 2));
  write('cats/outdoor/cat3.webp', await makeImage('webp', 3));
  write('cats/outdoor/cat4.avif', await makeImage('avif', 4));
  write('dogs/big/dog1.gif', await makeImage('gif', 5));
  write('dogs/small/dog2.tiff', await makeImage('tiff', 6));
  write('dogs/small/dog3.jpeg', await makeImage('jpeg', 7));
  write('top.jpg', await makeImage('jpeg', 8));
  write('dogs/small/zz-copy-of-cat1.jpg', cat1);
  const truncated = await makeImage('jpeg', 9, 640, 480);
  write('bad/empty.jpg', Buffer.alloc(0));
  write('bad/truncated.jpg', truncated.subarray(0, Math.floor(truncated.length / 2)));
  write('bad/text.jpg', 'this is not a photo\n');
  write('bad/notes.txt', 'hello');
  write('bad/bomb.png', makeDecompressionBomb());
  write('bad/vector.svg', '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>');
  write('bad/locked.jpg', await makeImage('jpeg', 10));
  write('bad/locked-dir/inside.jpg', await makeImage('jpeg', 11));
  fs.symlinkSync('..', path.join(root, 'bad/loop'));
  fs.symlinkSync('cycle-b', path.join(root, 'bad/cycle-a'));
  fs.symlinkSync('cycle-a', path.join(root, 'bad/cycle-b'));
  const permissionsIgnored = permissionsAreIgnored(parent);
  fs.chmodSync(path.join(root, 'bad/locked.jpg'), 0);
  fs.chmodSync(path.join(root, 'bad/locked-dir'), 0);
  return {
    root,
    good: [
      'cats/indoor/cat1.jpg',
      'cats/indoor/cat2.png',
      'cats/outdoor/cat3.webp',
      'cats/outdoor/cat4.avif',
      'dogs/big/dog1.gif',
      'dogs/small/dog2.tiff',
      'dogs/small/dog3.jpeg',
      'top.jpg',
    ],
    duplicate: 'dogs/small/zz-copy-of-cat1.jpg',
    bad: {
      'bad/empty.jpg': /empty/,
      'bad/truncated.jpg': /corrupt or truncated/,
      'bad/text.jpg': /not an image/,
      'bad/notes.txt': /not a supported image type \(\.txt\)/,
      'bad/bomb.png': /decompression bomb/,
      'bad/vector.svg': /SVG import is off/,
      'bad/loop': /symlink loop/,
      'bad/cycle-a': /symlink loop/,
      'bad/cycle-b': /symlink loop/,
    },
    locked: { file: 'bad/locked.jpg', folderFile: 'bad/locked-dir/inside.jpg' },
    permissionsIgnored,
  };
}

/**
 * Inserts `count` image rows without files (fake paths and hashes), for label, split and
 * query tests that do not need pixels. Returns their ids in order.
 */
export function seedImageRows(project: Project, count: number, prefix = 'img'): number[] {
  const insert = project.db.prepare(
    `INSERT INTO images (path, file_name, size, mtime_ms, width, height, content_hash, format, added_at)
     VALUES (?, ?, 1000, 0, 64, 48, ?, 'jpeg', '2026-01-01T00:00:00.000Z')`,
  );
  const ids: number[] = [];
  project.db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const name = `${prefix}-${String(i).padStart(6, '0')}.jpg`;
      const hash = createHash('sha256').update(`${prefix}:${i}`).digest('hex');
      ids.push(Number(insert.run(`/seeded/${name}`, name, hash).lastInsertRowid));
    }
  })();
  return ids;
}

/*
 * Benchmark folders. A few dozen distinct photo-like JPEGs are encoded once; every file is one
 * of them with a unique comment appended after the JPEG end marker, so each file hashes
 * differently (no duplicates) while decoding exactly like its base: decode cost per file is
 * that of a real photo of the same size and detail.
 */

/** Encodes `count` distinct photo-like JPEGs: smooth colour fields with fine grain, q85. */
export async function makeBaseJpegs(count: number, width: number, height: number): Promise<Buffer[]> {
  const bases: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    // Coarse noise blown up with bicubic interpolation looks like out-of-focus scenery;
    // a little fine noise on top gives the entropy coder real work, as sensor grain does.
    const coarse = await sharp({ create: { width: 16, height: 12, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 110 + i, sigma: 60 } } })
      .png()
      .toBuffer();
    const grain = await sharp({ create: { width, height, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 12 } } })
      .png()
      .toBuffer();
    bases.push(
      await sharp(coarse)
        .resize(width, height, { kernel: 'cubic' })
        .composite([{ input: grain, blend: 'overlay' }])
        .jpeg({ quality: 85 })
        .toBuffer(),
    );
  }
  return bases;
}

/** Writes `count` files into `root`, `perFolder` per subfolder, cycling through the bases. */
export function writePhotoFolder(root: string, bases: readonly Buffer[], count: number, perFolder = 1000): string[] {
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const dir = path.join(root, `folder-${String(Math.floor(i / perFolder)).padStart(4, '0')}`);
    if (i % perFolder === 0) fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `photo-${String(i).padStart(6, '0')}.jpg`);
    fs.writeFileSync(file, Buffer.concat([bases[i % bases.length]!, Buffer.from(`graft-bench-${i}`)]));
    files.push(file);
  }
  return files;
}
