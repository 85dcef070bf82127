/**
 * Model-only throughput of frozen forward passes, MobileNetV2 and ResNet50 at 224×224 (random
 * weights, with the classifier, logits): our ONNX Runtime path (1 and 2 intra-op threads,
 * batch 1/8/16/32), our tfjs-wasm path (batch 16), and PyTorch CPU (batch 16, 2 threads,
 * channels_last, no_grad, glibc malloc thresholds raised) when Debian's python3-torch is
 * installed. Prints images/s, the ONNX/PyTorch ratio and the share of the machine's fp32 peak,
 * plus the ONNX-vs-tfjs parity on the same batch. Figures, not pass/fail.
 *
 *   npx tsx bench/onnx-bench.ts [--arch mobilenet_v2,resnet50] [--seconds 4] [--no-tfjs]
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { LayersModel } from '@tensorflow/tfjs';
import { createTfjsFrozenForward, type FrozenForward } from '../src-main/engine/inference/frozen-forward';
import { buildModel } from '../src-main/engine/models/build-model';
import { convertToOnnx } from '../src-main/engine/onnx/convert/convert-model';
import { createOnnxFrozenForward } from '../src-main/engine/onnx/onnx-frozen-forward';
import { loadOnnxRuntime, type OnnxRuntime } from '../src-main/engine/onnx/ort-loader';
import { loadAverage } from './load-average';
import { TORCH_MISSING, torchEnv, torchPython } from './torch-python';

/** This machine's fp32 peak on 2 cores (AVX-512 FMA), from TOOLCHAIN.md. */
const PEAK_GFLOPS = 523;
const SIZE = 224;
const REFERENCE_BATCH = 16;
const TORCH_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'torch-reference.py');

type Arch = 'mobilenet_v2' | 'resnet50';

function argValue(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** Multiply-adds of one image through the model's convolutions and Dense layers (what FLOP counts count). */
function multiplyAdds(model: LayersModel): number {
  let total = 0;
  for (const layer of model.layers) {
    const kind = layer.getClassName();
    if (kind !== 'Conv2D' && kind !== 'DepthwiseConv2D' && kind !== 'Dense') continue;
    const out = layer.outputShape as number[];
    const kernel = layer.weights[0]!.shape as number[];
    const positions = out.slice(1, -1).reduce((a, b) => a * b, 1);
    // Conv2D kernel [kh, kw, in, out] and Dense [in, out]: every kernel weight is used once per output position.
    // DepthwiseConv2D [kh, kw, in, multiplier]: the same, since each output channel reads one input channel.
    total += positions * kernel.reduce((a, b) => a * b, 1);
  }
  return total;
}

/** Images per second of `forward` at batch `n`, timed for at least `seconds` after a warm-up. */
async function imagesPerSecond(forward: FrozenForward, n: number, seconds: number): Promise<number> {
  const batch = new Float32Array(n * SIZE * SIZE * 3).map((_, i) => ((i * 2654435761) % 1000) / 500 - 1);
  await forward.run(batch, n);
  let images = 0;
  const started = performance.now();
  for (;;) {
    await forward.run(batch, n);
    images += n;
    const elapsed = (performance.now() - started) / 1000;
    if (elapsed >= seconds && images >= 3 * n) return images / elapsed;
    if (elapsed >= seconds * 4) return images / elapsed;
  }
}

/** PyTorch's images/s at batch 16 with `threads` threads, or why there is no figure. */
function torchReference(arch: Arch, seconds: number, threads: number): { rate: number; version: string } | { missing: string } {
  const python = torchPython();
  if (!python) return { missing: TORCH_MISSING };
  const env = torchEnv();
  const run = spawnSync(python, [TORCH_SCRIPT, arch, '--batch', String(REFERENCE_BATCH), '--threads', String(threads), '--seconds', String(seconds)], {
    encoding: 'utf8',
    env,
  });
  if (run.status !== 0) return { missing: `reference failed: ${run.stderr.trim().split('\n').pop() ?? 'no output'}` };
  const result = JSON.parse(run.stdout.trim().split('\n').pop()!) as { images_per_s: number; torch: string; torchvision: string };
  return { rate: result.images_per_s, version: `torch ${result.torch}, torchvision ${result.torchvision}` };
}

function row(label: string, rate: number, gflop: number, extra = ''): void {
  const share = ((rate * gflop) / PEAK_GFLOPS) * 100;
  console.log(`  ${label.padEnd(34)} ${rate.toFixed(1).padStart(7)} images/s  ${share.toFixed(1).padStart(5)} % of peak${extra}`);
}

async function benchArch(arch: Arch, runtime: OnnxRuntime, seconds: number, withTfjs: boolean): Promise<void> {
  const model = buildModel(tf, arch, { inputShape: [SIZE, SIZE, 3], classifierActivation: 'linear' });
  try {
    const gflop = (2 * multiplyAdds(model)) / 1e9;
    console.log(`\n${arch} ${SIZE}×${SIZE}, with classifier: ${(gflop / 2).toFixed(2)} G multiply-adds = ${gflop.toFixed(2)} GFLOP per image`);
    const started = performance.now();
    const graph = convertToOnnx(model);
    console.log(`  conversion to ONNX: ${((performance.now() - started) / 1000).toFixed(2)} s, ${(graph.bytes.length / 1e6).toFixed(1)} MB`);

    const onnxAt16: Record<number, number> = {};
    for (const threads of [1, 2]) {
      const forward = await createOnnxFrozenForward(model, { onnxRuntime: runtime, threads });
      for (const n of [1, 8, 16, 32]) {
        const rate = await imagesPerSecond(forward, n, seconds);
        if (n === REFERENCE_BATCH) onnxAt16[threads] = rate;
        row(`ONNX Runtime, ${threads} thread${threads === 1 ? ' ' : 's'}, batch ${String(n).padStart(2)}`, rate, gflop);
      }
      forward.dispose();
    }

    let tfjsRate: number | null = null;
    if (withTfjs) {
      const tfjs = createTfjsFrozenForward(tf, model);
      // Parity on real-sized inputs, on the backend the engine uses here.
      const probe = new Float32Array(2 * SIZE * SIZE * 3).map((_, i) => Math.sin(i) * 0.9);
      const onnx = await createOnnxFrozenForward(model, { onnxRuntime: runtime, threads: 2 });
      const [a] = await onnx.run(probe, 2);
      const [b] = await tfjs.run(probe, 2);
      let diff = 0;
      let scale = 0;
      for (let i = 0; i < a!.length; i++) {
        diff = Math.max(diff, Math.abs(a![i]! - b![i]!));
        scale = Math.max(scale, Math.abs(b![i]!));
      }
      onnx.dispose();
      tfjsRate = await imagesPerSecond(tfjs, REFERENCE_BATCH, seconds);
      row(`tfjs ${tf.getBackend()}, batch 16`, tfjsRate, gflop);
      console.log(`  parity ONNX vs tfjs ${tf.getBackend()} (2 images, logits): max|Δ| ${diff.toExponential(2)} (max|x| ${scale.toExponential(2)})`);
    }

    const best = Math.max(onnxAt16[1] ?? 0, onnxAt16[2] ?? 0);
    const bestThreads = (onnxAt16[1] ?? 0) >= (onnxAt16[2] ?? 0) ? 1 : 2;
    const reference = torchReference(arch, seconds, 2);
    if ('missing' in reference) {
      console.log(`  PyTorch CPU: ${reference.missing}`);
    } else {
      row('PyTorch CPU, 2 threads, batch 16', reference.rate, gflop, `  (${reference.version}, channels_last)`);
      console.log(`  ONNX/PyTorch at batch 16: ${(onnxAt16[1]! / reference.rate).toFixed(2)}× (1 thread), ${(onnxAt16[2]! / reference.rate).toFixed(2)}× (2 threads)`);
      // Not the reference setting; shown because PyTorch's OpenMP threads suffer most when a core is busy elsewhere.
      const single = torchReference(arch, seconds, 1);
      if (!('missing' in single)) {
        row('PyTorch CPU, 1 thread, batch 16', single.rate, gflop, '  (for context)');
        console.log(`  best ONNX / best PyTorch at batch 16: ${(best / Math.max(reference.rate, single.rate)).toFixed(2)}×`);
      }
    }
    if (tfjsRate) console.log(`  ONNX/tfjs-${tf.getBackend()} at batch 16: ${(best / tfjsRate).toFixed(1)}× (best ONNX: ${bestThreads} thread${bestThreads === 1 ? '' : 's'})`);
  } finally {
    model.dispose();
  }
}

async function main(): Promise<void> {
  const archs = (argValue('--arch') ?? 'mobilenet_v2,resnet50').split(',') as Arch[];
  const seconds = Number(argValue('--seconds') ?? 4);
  const withTfjs = !process.argv.includes('--no-tfjs');
  if (!(await tf.setBackend('wasm'))) await tf.setBackend('cpu');
  await tf.ready();
  const status = await loadOnnxRuntime();
  if (!status.available) throw new Error(status.error);
  console.log(
    `Frozen forward, model only, random weights; ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ` +
      `peak ${PEAK_GFLOPS} GFLOP/s fp32; onnxruntime-node ${status.runtime.version} (${status.runtime.providers.join(', ')}), tfjs ${tf.version.tfjs} ${tf.getBackend()}`,
  );
  console.log('Timings are wall-clock on a machine other work may share; rerun before trusting a small difference.');
  console.log(`load average before: ${loadAverage()}`);
  for (const arch of archs) {
    await benchArch(arch, status.runtime, seconds, withTfjs);
    console.log(`  load average after ${arch}: ${loadAverage()}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
