/**
 * Skip reasons are facts about the file, not libvips' words: the same file gets the same
 * reason on every run, at any concurrency, from bytes or from a path, with or without a
 * thumbnail, and the engine words it the same (see engine/inference/load-image.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeBadImages, type BadImage } from '../../base/test-support/bad-images';
import { MAX_IMAGE_FILE_BYTES } from '../../base/image-source';
import { releaseFifos, writeHostilePaths, type HostilePath } from '../../base/test-support/hostile-paths';
import type { Project } from '../project/project';
import { DEFAULT_MAX_PIXELS, probeImage, ProbeRejection } from './image-probe';
import { importFolder } from './import-folder';
import { cleanUp, makeDecompressionBomb, makeImage, makeProject, makeTempDir, type TempDir } from './library-fixtures';

let tmp: TempDir;
let bad: BadImage[];

beforeEach(async () => {
  tmp = makeTempDir();
  bad = await writeBadImages(path.join(tmp.dir, 'photos', 'bad'));
});

afterEach(() => cleanUp(tmp));

async function reasonOf(input: Buffer | string, thumbnail: boolean): Promise<string> {
  const options = { allowSvg: false, maxPixels: DEFAULT_MAX_PIXELS, thumbnail: thumbnail ? { size: 64, file: path.join(tmp.dir, 't.jpg') } : undefined };
  const error = await probeImage(input, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProbeRejection);
  return (error as Error).message;
}

describe('probeImage reasons', () => {
  it('gives each bad file its one reason, from bytes or a path, with or without a thumbnail', async () => {
    for (const { file, reason } of bad.filter((b) => fs.statSync(b.file).size > 0)) {
      for (const thumbnail of [false, true]) {
        expect(await reasonOf(fs.readFileSync(file), thumbnail), `${path.basename(file)} from bytes`).toBe(reason);
        expect(await reasonOf(file, thumbnail), `${path.basename(file)} from its path`).toBe(reason);
      }
    }
  });

  it('gives the same reasons when many fail at once (libvips loses its messages then)', async () => {
    const inputs = bad.filter((b) => fs.statSync(b.file).size > 0);
    for (let round = 0; round < 5; round++) {
      const reasons = await Promise.all(inputs.flatMap(({ file }) => [reasonOf(file, true), reasonOf(fs.readFileSync(file), false)]));
      expect(reasons).toEqual(inputs.flatMap(({ reason }) => [reason, reason]));
    }
  });
});

describe('probeImage from a path (how the import reads photos over 32 MB)', () => {
  let hostile: HostilePath[] = [];
  afterEach(() => releaseFifos(hostile));

  it('refuses a FIFO, a device, a folder and a file larger than any image at once, without decoding', { timeout: 5000 }, async () => {
    hostile = writeHostilePaths(path.join(tmp.dir, 'hostile'), MAX_IMAGE_FILE_BYTES);
    for (const { file, reason } of hostile) {
      for (const thumbnail of [false, true]) expect(await reasonOf(file, thumbnail), file).toMatch(reason);
    }
  });

  it('still refuses a decompression bomb by its header', async () => {
    const file = path.join(tmp.dir, 'bomb.png');
    fs.writeFileSync(file, makeDecompressionBomb());
    expect(await reasonOf(file, true)).toMatch(/^image too large: 100000×100000 pixels/);
  });
});

describe('import skip list', () => {
  let project: Project | undefined;
  afterEach(() => project?.dispose());

  it('is the same list, in path order, with the same reasons on every import', async () => {
    const root = path.join(tmp.dir, 'photos');
    for (let i = 0; i < 12; i++) fs.writeFileSync(path.join(root, `good-${i}.jpg`), await makeImage('jpeg', i, 640, 480));
    const lists: { path: string; reason: string }[][] = [];
    for (const concurrency of [8, 1, 8]) {
      project = makeProject(tmp, `p${concurrency}-${lists.length}`);
      lists.push((await importFolder(project, root, { concurrency, thumbnails: true })).skipped);
      project.dispose();
      project = undefined;
    }
    const expected = [...bad].sort((a, b) => (a.file < b.file ? -1 : 1)).map(({ file, reason }) => ({ path: file, reason }));
    for (const list of lists) expect(list).toEqual(expected);
  });
});
