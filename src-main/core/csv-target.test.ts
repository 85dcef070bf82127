import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCsvTarget, type CsvTargetKind } from './csv-target';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-csv-target-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const LABELS: CsvTargetKind = { what: 'labels', kindName: 'a Graft labels export', headerMatches: (head) => head.startsWith('path,label,split\n') };

describe('checkCsvTarget', () => {
  it('takes a new .csv or one of its own kind, as an absolute path', async () => {
    expect(await checkCsvTarget(path.join(dir, 'new.csv'), LABELS)).toBe(path.join(dir, 'new.csv'));
    fs.writeFileSync(path.join(dir, 'earlier.csv'), 'path,label,split\na.jpg,cat,train\n');
    expect(await checkCsvTarget(path.join(dir, 'earlier.csv'), LABELS)).toBe(path.join(dir, 'earlier.csv'));
  });

  it('refuses another extension and a file it did not write, saying what to do', async () => {
    await expect(checkCsvTarget(path.join(dir, 'labels.txt'), LABELS)).rejects.toMatchObject({ code: 'bad-request', message: 'Write labels to a file ending in .csv (got labels.txt).' });
    fs.writeFileSync(path.join(dir, 'precious.csv'), 'name,amount\n');
    await expect(checkCsvTarget(path.join(dir, 'precious.csv'), LABELS)).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('is not a Graft labels export; choose a new file name') });
  });

  it.skipIf(process.platform === 'win32')('refuses a FIFO without waiting on it', async () => {
    const fifo = path.join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    await expect(checkCsvTarget(fifo, LABELS)).rejects.toMatchObject({ code: 'bad-request' });
  }, 5_000);
});
