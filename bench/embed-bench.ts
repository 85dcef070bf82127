/**
 * Embedding throughput through the engine process: N generated 224×224 JPEGs, MobileNetV2
 * with the bundled (nsfwjs) weights, avg pooling → 1280 values per image, at batch sizes
 * 1, 8 and 32. The model is built and loaded once (the first, timed, warm-up request) and
 * cached by the engine after that. Also times decoding alone, for scale. Prints figures.
 *
 *   npx tsx bench/embed-bench.ts [N=96] [--backend cpu|@tensorflow/tfjs-backend-wasm|…]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nodeEngineSpawner } from '../src-main/cli/app-paths';
import { makeBaseJpegs, writePhotoFolder } from '../src-main/core/library/library-fixtures';
import { EngineClient } from '../src-main/engine/host/engine-client';
import { loadBatch } from '../src-main/engine/inference/image-batches';

function argValue(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<void> {
  const count = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 96);
  const backend = argValue('--backend');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-embed-bench-'));
  const engine = new EngineClient(nodeEngineSpawner(backend ? { ...process.env, GRAFT_BACKEND: backend } : process.env));
  try {
    const bases = await makeBaseJpegs(16, 224, 224);
    const files = writePhotoFolder(path.join(tmp, 'photos'), bases, count);
    const hello = await engine.start();
    console.log(`${count} JPEGs 224×224, MobileNetV2 bundled weights, avg pooling; ${os.availableParallelism()} CPUs`);
    console.log(`backend: ${hello.backend} (${hello.backendPackage}), tfjs ${hello.tfjsVersion}`);

    let started = performance.now();
    for (let i = 0; i < files.length; i += 32) await loadBatch(files.slice(i, i + 32), 224);
    const decodeRate = count / ((performance.now() - started) / 1000);
    console.log(`  decode + resize only (sharp)            ${decodeRate.toFixed(1).padStart(7)} images/s`);

    const params = { arch: 'mobilenet_v2' as const, weights: 'bundled' as const, out: path.join(tmp, 'features.npy') };
    started = performance.now();
    await engine.request('embed', { ...params, images: files.slice(0, 2), batchSize: 2 });
    console.log(`  first request (build + load weights + 2 images) ${((performance.now() - started) / 1000).toFixed(2)} s`);

    for (const batchSize of [1, 8, 32]) {
      started = performance.now();
      const result = await engine.request('embed', { ...params, images: files, batchSize });
      const wall = (performance.now() - started) / 1000;
      if (result.rows !== count || result.dims !== 1280) throw new Error(`expected ${count}×1280, got ${result.rows}×${result.dims}`);
      const label = `batch ${String(batchSize).padStart(2)}`;
      console.log(`  ${label.padEnd(38)} ${(result.rows / result.seconds).toFixed(1).padStart(7)} images/s  (${wall.toFixed(2)} s wall)`);
    }
  } finally {
    engine.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
