import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBounded } from '../../base/test-support/bounded-child';
import { makeTempDir, type TempDir } from './library-fixtures';

const scenarios = path.join(path.dirname(fileURLToPath(import.meta.url)), 'test-support', 'hostile-reads.ts');
const bounds = { rssMb: 400, timeoutMs: 20_000 };

let tmp: TempDir;
beforeEach(() => {
  tmp = makeTempDir('graft-csv-hostile-');
});
afterEach(() => tmp.cleanup());

function makeFifo(name: string): string {
  const fifo = path.join(tmp.dir, name);
  expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
  return fifo;
}

describe('paths a client names for labels and exports', () => {
  it('refuses a FIFO at once instead of waiting for a writer', async () => {
    const outcome = await runBounded(scenarios, 'importCsvInto', [path.join(tmp.dir, 'p'), makeFifo('labels.csv')], bounds);
    expect(outcome).toMatchObject({ status: 'threw', error: { code: 'bad-request', message: expect.stringMatching(/named pipe \(FIFO\), not a regular file/) } });
  }, 30_000);

  it('refuses /dev/zero without reading it', async () => {
    const outcome = await runBounded(scenarios, 'importCsvInto', [path.join(tmp.dir, 'p'), '/dev/zero'], bounds);
    expect(outcome).toMatchObject({ status: 'threw', error: { code: 'bad-request', message: expect.stringMatching(/is a device/) } });
  }, 30_000);

  it('refuses a CSV larger than the limit before reading it', async () => {
    const big = path.join(tmp.dir, 'big.csv');
    fs.writeFileSync(big, 'path,label\n');
    fs.truncateSync(big, 300 * 1024 * 1024);
    const outcome = await runBounded(scenarios, 'importCsvInto', [path.join(tmp.dir, 'p'), big], bounds);
    expect(outcome).toMatchObject({ status: 'threw', error: { code: 'bad-request', message: expect.stringMatching(/larger than 256 MB/) } });
  }, 30_000);

  it('refuses to export over a FIFO instead of opening it', async () => {
    const outcome = await runBounded(scenarios, 'exportCsvFrom', [path.join(tmp.dir, 'p'), makeFifo('out.csv')], bounds);
    expect(outcome).toMatchObject({ status: 'threw', error: { code: 'bad-request', message: expect.stringMatching(/named pipe/) } });
  }, 30_000);

  it('skips a photo that became a FIFO instead of copying from it forever', async () => {
    const target = path.join(tmp.dir, 'export');
    const outcome = await runBounded(scenarios, 'exportReplacedPhoto', [path.join(tmp.dir, 'p'), makeFifo('photo.jpg'), target], bounds);
    expect(outcome).toMatchObject({
      status: 'returned',
      value: { exported: 0, skipped: [{ reason: expect.stringMatching(/named pipe \(FIFO\) now, not the photo/) }] },
    });
  }, 30_000);

  it('refuses an ImageFolder target that is a file or a device', async () => {
    const file = path.join(tmp.dir, 'file');
    fs.writeFileSync(file, 'x');
    for (const [target, message] of [
      [file, /is a file; choose a new or empty folder/],
      [path.join(file, 'below'), /a file stands in its path/],
      ['/dev/zero', /is a device/],
    ] as const) {
      const outcome = await runBounded(scenarios, 'exportReplacedPhoto', [path.join(tmp.dir, `p${Math.random()}`), file, target], bounds);
      expect(outcome).toMatchObject({ status: 'threw', error: { code: 'bad-request', message: expect.stringMatching(message) } });
    }
  }, 30_000);

  it('reads a photo for import only while it is a regular file (a FIFO swapped in after the walk is refused)', async () => {
    const photo = path.join(tmp.dir, 'photo.jpg');
    fs.writeFileSync(photo, Buffer.alloc(1000, 7));
    expect(await runBounded(scenarios, 'readAsImport', [photo], bounds)).toMatchObject({ status: 'returned', value: { bytes: 1000 } });
    const outcome = await runBounded(scenarios, 'readAsImport', [makeFifo('swapped.jpg')], bounds);
    expect(outcome).toMatchObject({ status: 'threw', error: { message: expect.stringMatching(/named pipe \(FIFO\), not a regular file/) } });
  }, 30_000);
});
