import { describe, expect, it } from 'vitest';
import type { EngineClient } from '../../engine/host/engine-client';
import type { EngineProcess } from '../../engine/host/engine-process';
import { nodeEngineSpawner } from '../app-paths';
import type { CliIo } from '../command';
import { runCli } from '../run-cli';
import { backendNotUsed, createDoctorCommand } from './doctor';

// The CLI sees the engine only through its host side, so the message types come from there.
type FromEngine = Parameters<Parameters<EngineProcess['onMessage']>[0]>[0];
type EngineHello = Awaited<ReturnType<EngineClient['start']>>;

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

/** An engine whose ONNX Runtime did not load: it says so in its hello and refuses onnxCheck as the real one does. */
function engineWithoutOnnx(tried: EngineHello['tried'] = []): EngineProcess {
  let listener: (m: FromEngine) => void = () => {};
  const error = "onnxruntime-node cannot be used: Cannot find package 'onnxruntime-node'";
  const hello: EngineHello = { backend: 'cpu', backendPackage: 'cpu', tfjsVersion: '4.22.0', tried, onnx: { available: false, error } };
  return {
    pid: 1,
    send: (message) => {
      if (message.kind === 'request') queueMicrotask(() => listener({ kind: 'reply', id: message.id, ok: false, error: { code: 'engine-unavailable', message: error } }));
    },
    onMessage: (l) => {
      listener = l;
      queueMicrotask(() => listener({ kind: 'ready', hello }));
    },
    onExit: () => undefined,
    kill: () => undefined,
  };
}

describe('graft doctor', () => {
  it('reports ONNX Runtime and, with --onnx, its parity with TensorFlow.js on this machine', async () => {
    const command = createDoctorCommand(() => nodeEngineSpawner({ ...process.env, GRAFT_BACKEND: '@tensorflow/tfjs-backend-wasm' }));
    const json = capture();
    expect(await runCli(['doctor', '--onnx', '--json'], [command], json)).toBe(0);
    const report = JSON.parse(json.stdout.join(''));
    expect(report).toMatchObject({ backend: 'wasm', onnxRuntime: { available: true, version: '1.30.0', providers: ['cpu'] } });
    expect(report.onnxCheck).toMatchObject({ inputSize: 96, images: 4, tfjs: 'tfjs wasm', tolerance: 1e-4, agrees: true });
    expect(report.onnxCheck.maxAbsDiff).toBeLessThan(1e-4);

    const human = capture();
    expect(await runCli(['doctor'], [command], human)).toBe(0);
    const text = human.stdout.join('\n');
    expect(text).toContain('ONNX Runtime: onnxruntime-node 1.30.0, execution providers: cpu');
    // No GPU libraries here: the listed CUDA provider is reported as not usable.
    expect(text).toMatch(/\n {2}not usable: cuda — /);
    expect(text).not.toContain('parity');
  });

  it('says why ONNX Runtime is not available and that the parity check could not run', async () => {
    const io = capture();
    expect(await runCli(['doctor', '--onnx'], [createDoctorCommand(() => engineWithoutOnnx)], io)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toContain("ONNX Runtime: not available (onnxruntime-node cannot be used: Cannot find package 'onnxruntime-node'); every model runs on TensorFlow.js");
    expect(text).toContain("ONNX parity check: could not run (onnxruntime-node cannot be used: Cannot find package 'onnxruntime-node')");
  });

  it('says a native backend is not installed (and how to add it) instead of a module-resolution error', async () => {
    const tried = [
      { pkg: '@tensorflow/tfjs-node-gpu', error: "Cannot find package '@tensorflow/tfjs-node-gpu' imported from /app/out/main/engine.js" },
      { pkg: '@tensorflow/tfjs-node', error: "Cannot find module '@tensorflow/tfjs-node'" },
    ];
    const io = capture();
    expect(await runCli(['doctor'], [createDoctorCommand(() => () => engineWithoutOnnx(tried))], io)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toContain('  not used: @tensorflow/tfjs-node-gpu — not installed (optional: npm i @tensorflow/tfjs-node-gpu)');
    expect(text).toContain('  not used: @tensorflow/tfjs-node — not installed (optional: npm i @tensorflow/tfjs-node)');
    expect(text).not.toContain('Cannot find package \'@tensorflow');
    expect(text).not.toContain('Cannot find module');
  });

  it('keeps the real reason when an installed native backend fails, or a package it needs is missing', () => {
    expect(backendNotUsed({ pkg: '@tensorflow/tfjs-node', error: 'libtensorflow.so.2: cannot open shared object file' })).toBe('libtensorflow.so.2: cannot open shared object file');
    expect(backendNotUsed({ pkg: '@tensorflow/tfjs-node', error: "Cannot find package 'node-fetch' imported from /x.js" })).toBe("Cannot find package 'node-fetch' imported from /x.js");
  });
});
