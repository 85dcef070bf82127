import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddingFiles, indexPathFor, partialPathOf } from './embedding-files';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-embedding-files-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('embedding files', () => {
  it('names the index after the .npy file', () => {
    expect(indexPathFor('/a/features.npy')).toBe('/a/features.csv');
    expect(indexPathFor('/a/FEATURES.NPY')).toBe('/a/FEATURES.csv');
    expect(indexPathFor('/a/features')).toBe('/a/features.csv');
  });

  it('writes under .partial names and takes the final names on commit; the CSV quotes odd paths', async () => {
    const out = path.join(dir, 'sub', 'f.npy');
    const files = await EmbeddingFiles.create(out, indexPathFor(out), 2);
    await files.append(Float32Array.of(1, 2, 3, 4), ['/p/a.jpg', '/p/with, comma.jpg']);
    expect(fs.existsSync(partialPathOf(out))).toBe(true);
    expect(fs.existsSync(out)).toBe(false);
    await files.append(Float32Array.of(5, 6), ['/p/"quoted".jpg']);
    await files.commit();
    expect(fs.existsSync(partialPathOf(out))).toBe(false);
    expect(fs.statSync(out).size).toBe(128 + 3 * 2 * 4);
    expect(fs.readFileSync(indexPathFor(out), 'utf8')).toBe('row,path\n0,/p/a.jpg\n1,"/p/with, comma.jpg"\n2,"/p/""quoted"".jpg"\n');
  });

  it('removes both partial files on abort', async () => {
    const out = path.join(dir, 'aborted.npy');
    const files = await EmbeddingFiles.create(out, indexPathFor(out), 2);
    await files.append(Float32Array.of(1, 2), ['/p/a.jpg']);
    await files.abort();
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('aborted'))).toEqual([]);
  });

  it('reports an output it cannot write as an io error the user can act on', async () => {
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, '');
    const out = path.join(blocker, 'f.npy');
    await expect(EmbeddingFiles.create(out, indexPathFor(out), 2)).rejects.toMatchObject({
      code: 'io',
      message: expect.stringMatching(/^Cannot write .*f\.npy \(\w+\); choose another output file/),
    });
  });
});
