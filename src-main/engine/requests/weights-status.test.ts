import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runWeightsStatus } from './weights-status';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-weights-status-'));
afterAll(() => {
  vi.unstubAllEnvs();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('weightsStatus', () => {
  it('names the file, its official address and where it goes; present once it is there', async () => {
    vi.stubEnv('GRAFT_CACHE_DIR', dir);
    const before = await runWeightsStatus({ arch: 'mobilenet_v2', inputSize: 96 });
    expect(before).toEqual({
      arch: 'mobilenet_v2',
      file: 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_96_no_top.h5',
      url: expect.stringMatching(/^https:\/\/storage\.googleapis\.com\/tensorflow\/keras-applications\/mobilenet_v2\/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1\.0_96_no_top\.h5$/),
      path: path.join(dir, 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_96_no_top.h5'),
      present: false,
      bytes: null,
    });
    fs.writeFileSync(before.path, Buffer.alloc(1234));
    expect(await runWeightsStatus({ arch: 'mobilenet_v2', inputSize: 96 })).toMatchObject({ present: true, bytes: 1234 });
  });

  it('architectures without size variants have one file', async () => {
    vi.stubEnv('GRAFT_CACHE_DIR', dir);
    expect((await runWeightsStatus({ arch: 'resnet50', inputSize: 160 })).file).toBe('resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5');
  });
});
