import { describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../../src-main/api/types/app';
import { estimateSpeed, formatSpeed } from './speed-estimate';

const status = (backend: EngineStatus['backend'], onnx: boolean): EngineStatus => ({
  state: 'ready',
  backend,
  backendPackage: null,
  tfjsVersion: '4.22.0',
  onnx: onnx ? { available: true, version: '1.30.0', providers: ['cpu'], unavailable: [] } : { available: false, error: 'not installed' },
  lastError: null,
  restarts: 0,
});

describe('estimateSpeed', () => {
  it('gives the measured MobileNetV2 figure at 224 and scales by compute and input area', () => {
    expect(estimateSpeed('mobilenet_v2', 224, status('wasm', true))).toEqual({ imagesPerSecond: 220, runtime: 'ONNX Runtime' });
    expect(estimateSpeed('mobilenet_v2', 224, status('wasm', false))!.imagesPerSecond).toBe(18);
    expect(estimateSpeed('mobilenet_v2', 112, status('wasm', true))!.imagesPerSecond).toBeCloseTo(880);
    expect(estimateSpeed('vgg16', 224, status('cpu', false))!.imagesPerSecond).toBeCloseTo(1.3 * (0.3 / 15.5));
  });

  it('says nothing where nothing was measured', () => {
    expect(estimateSpeed('resnet50', 224, status('tensorflow', false))).toBeNull();
    expect(estimateSpeed('resnet50', 224, null)).toBeNull();
  });

  it('writes the figure for people', () => {
    expect(formatSpeed({ imagesPerSecond: 220, runtime: '' })).toBe('≈ 220 images/s');
    expect(formatSpeed({ imagesPerSecond: 17.3, runtime: '' })).toBe('≈ 17 images/s');
    expect(formatSpeed({ imagesPerSecond: 1.26, runtime: '' })).toBe('≈ 1.3 images/s');
    expect(formatSpeed({ imagesPerSecond: 0.025, runtime: '' })).toBe('≈ 40 s per image');
  });
});
