import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeFifo, releaseFifos, type HostilePath } from '../../base/test-support/hostile-paths';
import { preprocessingSpec } from '../export/preprocessing-spec';
import type { ModelLocation } from './model-location';
import { LABELS_FILE, MAX_SIDECAR_BYTES, modelUsage, PREPROCESSING_FILE, type ModelShape } from './model-sidecars';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-sidecars-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let dir: string;
let location: ModelLocation;
let fifos: HostilePath[] = [];
const shape: ModelShape = { input: [32, 32, 3], classes: 2, layerNames: [] };

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(root, 'model-'));
  location = { format: 'onnx', file: path.join(dir, 'model.onnx'), dir };
});
afterEach(() => releaseFifos(fifos));

/** Puts something that is not a JSON file where a sidecar belongs; false where the platform cannot make it. */
function plant(name: string, what: 'fifo' | 'device' | 'huge'): boolean {
  const file = path.join(dir, name);
  if (what === 'fifo') {
    fifos = [{ what: 'a FIFO', file, reason: '' }];
    return makeFifo(file);
  }
  if (what === 'device') {
    if (!fs.existsSync('/dev/zero')) return false;
    fs.symlinkSync('/dev/zero', file);
    return true;
  }
  // Sparse: no disk space, yet larger than any sidecar.
  fs.writeFileSync(file, '["a", "b"]');
  fs.truncateSync(file, MAX_SIDECAR_BYTES + 1024 * 1024);
  return true;
}

describe('model sidecars', () => {
  it('reads labels.json and preprocessing.json beside the model', async () => {
    fs.writeFileSync(path.join(dir, LABELS_FILE), JSON.stringify({ classes: ['cat', 'dog'] }));
    fs.writeFileSync(path.join(dir, PREPROCESSING_FILE), JSON.stringify(preprocessingSpec({ kind: 'unit' }, 32)));
    const usage = await modelUsage(location, shape, {});
    expect(usage.classes).toEqual(['cat', 'dog']);
    expect([usage.preprocessing.width, usage.preprocessing.height]).toEqual([32, 32]);
  });

  it.each([
    ['a FIFO', 'fifo', /The model's labels\.json .* is a named pipe \(FIFO\), not a regular file\./],
    ['/dev/zero', 'device', /The model's labels\.json .* is a device, not a regular file\./],
    ['too large', 'huge', /The model's labels\.json .* is larger than 16 MB, more than such a file can be\./],
  ] as const)('refuse a labels.json that is %s at once, saying what to do', { timeout: 5000 }, async (_what, kind, reason) => {
    if (!plant(LABELS_FILE, kind)) return;
    const refusal = modelUsage(location, shape, { preprocessMode: 'unit' });
    await expect(refusal).rejects.toMatchObject({ code: 'bad-request' });
    await expect(refusal).rejects.toThrow(reason);
    await expect(refusal).rejects.toThrow(/Put the labels\.json of the model's export there .* \(graft predict --labels\)\.$/);
  });

  it('refuse a preprocessing.json that is a FIFO, saying what to do', { timeout: 5000 }, async () => {
    if (!plant(PREPROCESSING_FILE, 'fifo')) return;
    await expect(modelUsage(location, shape, { classes: ['cat', 'dog'] })).rejects.toThrow(
      /preprocessing\.json .* is a named pipe \(FIFO\), not a regular file\. Put the preprocessing\.json of the model's export there, or remove it/,
    );
  });
});
