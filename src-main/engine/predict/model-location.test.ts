import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeFifo, releaseFifos, type HostilePath } from '../../base/test-support/hostile-paths';
import { locateModel, modelOwnFiles } from './model-location';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-model-location-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let fifos: HostilePath[] = [];
afterEach(() => releaseFifos(fifos));

function modelFolder(name: string): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir);
  const manifest = { modelTopology: {}, weightsManifest: [{ paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin', '../outside.bin'], weights: [] }] };
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(manifest));
  return dir;
}

describe('modelOwnFiles', () => {
  it('lists model.json and the shards its manifest names inside its folder', async () => {
    const dir = modelFolder('plain');
    const location = await locateModel(dir);
    expect(await modelOwnFiles(location)).toEqual(['model.json', 'group1-shard1of2.bin', 'group1-shard2of2.bin'].map((f) => path.join(dir, f)));
  });

  it('refuses at once a model.json replaced by a FIFO since the model was located', { timeout: 5000 }, async () => {
    const dir = modelFolder('fifo');
    const location = await locateModel(dir);
    fs.rmSync(location.file);
    fifos = [{ what: 'a FIFO', file: location.file, reason: '' }];
    if (!makeFifo(location.file)) return;
    await expect(modelOwnFiles(location)).rejects.toThrow(
      `The model file ${location.file} is a named pipe (FIFO), not a regular file. It changed after Graft loaded it: put the model's own model.json back and try again.`,
    );
  });

  it('refuses a model.json larger than any model.json without reading it', { timeout: 5000 }, async () => {
    const dir = modelFolder('huge');
    const location = await locateModel(dir);
    // Sparse: no disk space, past the 64 MB a model.json may take.
    fs.truncateSync(location.file, 65 * 1024 * 1024);
    await expect(modelOwnFiles(location)).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/is larger than 64 MB/) as string });
  });
});
