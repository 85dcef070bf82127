import { describe, expect, it } from 'vitest';
import { loadOnnxRuntime } from './ort-loader';
import { fakeLoader, fakeOrt } from './test-support/fake-ort';

describe('loadOnnxRuntime', () => {
  it('reports the package missing instead of throwing, so the engine can fall back to tfjs', async () => {
    const { load, asked } = fakeLoader({});
    const status = await loadOnnxRuntime(load);
    expect(status).toEqual({ available: false, error: "onnxruntime-node cannot be used: Cannot find package 'onnxruntime-node' imported from engine" });
    expect(asked).toEqual(['onnxruntime-node']);
  });

  it('reports a binding that loads but cannot run', async () => {
    const { load } = fakeLoader({ 'onnxruntime-node': fakeOrt({ working: [], listed: ['cpu'] }) });
    const status = await loadOnnxRuntime(load);
    expect(status.available).toBe(false);
    expect(!status.available && status.error).toMatch(/cannot be used: OrtSessionOptionsAppendExecutionProvider_cpu/);
  });

  it('rejects a module that is not ONNX Runtime', async () => {
    const { load } = fakeLoader({ 'onnxruntime-node': { default: {} } });
    expect(await loadOnnxRuntime(load)).toEqual({ available: false, error: 'onnxruntime-node cannot be used: the module has no InferenceSession' });
  });

  it('lists CUDA only when a session with it can be created', async () => {
    const withCuda = fakeOrt({ working: ['cpu', 'cuda'], listed: ['cpu', 'cuda'] });
    const status = await loadOnnxRuntime(fakeLoader({ 'onnxruntime-node': { default: withCuda } }).load);
    expect(status.available && status.runtime.providers).toEqual(['cpu', 'cuda']);
    expect(withCuda.created).toEqual([['cpu'], ['cuda']]);

    const listedOnly = fakeOrt({ working: ['cpu'], listed: ['cpu', 'cuda'] });
    const fallback = await loadOnnxRuntime(fakeLoader({ 'onnxruntime-node': listedOnly }).load);
    expect(fallback.available && fallback.runtime.providers).toEqual(['cpu']);
    expect(fallback.available && fallback.runtime.unavailable).toEqual([{ provider: 'cuda', error: 'OrtSessionOptionsAppendExecutionProvider_cuda: Failed to load shared library' }]);

    const notListed = fakeOrt({ working: ['cpu', 'cuda'], listed: ['cpu'] });
    await loadOnnxRuntime(fakeLoader({ 'onnxruntime-node': notListed }).load);
    expect(notListed.created).toEqual([['cpu']]);
  });

  it('loads the real package here: CPU works, CUDA does not (no GPU libraries)', async () => {
    const status = await loadOnnxRuntime();
    expect(status.available).toBe(true);
    if (!status.available) return;
    expect(status.runtime.version).toBe('1.30.0');
    expect(status.runtime.providers).toEqual(['cpu']);
  });
});
