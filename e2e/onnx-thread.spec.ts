import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { EmbedResult } from '../src-main/api/types/inference';
import { graft } from './support/graft-serve';
import { generateSeparablePhotos } from './support/separable-photos';
import { makeTempDir, removeTempDirs } from './support/temp-dirs';

test.afterAll(() => removeTempDirs());

test('the built engine runs ONNX Runtime passes off its main thread (the ort-thread entry ships in the build)', async () => {
  const photos = await generateSeparablePhotos(['a', 'b'], 2);
  const out = path.join(makeTempDir('graft-e2e-embed-'), 'features.npy');
  const report = JSON.parse(graft('embed', photos, '--base', 'mobilenet_v2', '--weights', 'bundled', '--input-size', '96', '--out', out, '--json')) as EmbedResult;
  expect(report).toMatchObject({ rows: 4, dims: 1280, runtime: 'onnx', fallbackReason: null });
  expect(report.runtimeDetails).toMatch(/off the main thread$/);
});
