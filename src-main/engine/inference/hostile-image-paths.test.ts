/**
 * Paths named as images that are not photos — a FIFO, /dev/zero, a folder, a file larger than
 * any image — given to every engine reader of images (classify and embed, predict.files, the
 * training activation cache). Each runs in a child process under a memory and time bound: the
 * bad paths are skipped with a clear reason and the photos around them are still read.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_IMAGE_FILE_BYTES } from '../../base/image-source';
import { runBounded } from '../../base/test-support/bounded-child';
import { releaseFifos, writeHostilePaths, type HostilePath } from '../../base/test-support/hostile-paths';
import { writeColourImages } from './test-support/test-images';

const scenarios = path.join(path.dirname(fileURLToPath(import.meta.url)), 'test-support', 'hostile-images.ts');
// A child that has loaded sharp sits near 150 MB; reading /dev/zero or the huge file would pass
// any bound, and a FIFO would never end.
const bounds = { rssMb: 600, timeoutMs: 20_000 };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-hostile-images-'));
let hostile: HostilePath[];
let paths: string[];
let photos: string[];

beforeAll(async () => {
  photos = await writeColourImages(path.join(dir, 'photos'), 2);
  hostile = writeHostilePaths(path.join(dir, 'hostile'), MAX_IMAGE_FILE_BYTES);
  paths = [photos[0]!, ...hostile.map((h) => h.file), photos[1]!];
});
afterAll(() => {
  releaseFifos(hostile);
  fs.rmSync(dir, { recursive: true, force: true });
});

function expected(): Record<string, unknown> {
  return Object.fromEntries([...photos.map((p) => [p, null]), ...hostile.map((h) => [h.file, typeof h.reason === 'string' ? h.reason : expect.stringMatching(h.reason)])]);
}

describe('paths that are not photos, given to the engine', () => {
  it.each([
    ['classify and embed (image batches)', 'scaledBatchOutcomes', () => [paths]],
    ['predict.files (preprocessed batches)', 'predictBatchOutcomes', () => [paths]],
    ['training (the activation cache)', 'activationCacheOutcomes', () => [paths, path.join(dir, 'cache')]],
  ])('%s: each skipped with its reason, the photos read', { timeout: 30_000 }, async (_what, exportName, args) => {
    expect(hostile.length).toBeGreaterThanOrEqual(2);
    const outcome = await runBounded(scenarios, exportName, args(), bounds);
    expect(outcome).toMatchObject({ status: 'returned', value: expected() });
  });
});
