import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import StatusBar from './StatusBar.vue';
import { useEngineStore } from '../stores/useEngineStore';
import { useAppStore } from '../stores/useAppStore';

describe('StatusBar', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('shows the engine state, backend and ONNX Runtime with its providers', () => {
    useEngineStore().status = {
      state: 'ready',
      backend: 'wasm',
      backendPackage: '@tensorflow/tfjs-backend-wasm',
      tfjsVersion: '4.22.0',
      onnx: { available: true, version: '1.30.0', providers: ['cpu'], unavailable: [] },
      lastError: null,
      restarts: 0,
    };
    useAppStore().info = { version: '0.1.0', mode: 'serve', canPickFolder: false };
    const wrapper = mount(StatusBar);
    const pill = wrapper.get('[data-testid="engine-state"]');
    expect(pill.text()).toBe('Engine: ready · wasm · ONNX Runtime (cpu)');
    expect(pill.attributes('title')).toBe('@tensorflow/tfjs-backend-wasm\nonnxruntime-node 1.30.0');
    expect(wrapper.text()).toContain('browser (graft serve)');
  });

  it('says when ONNX Runtime is missing, with the reason on hover, and nothing about it before the engine is up', async () => {
    const engine = useEngineStore();
    engine.status = {
      state: 'ready',
      backend: 'cpu',
      backendPackage: 'cpu',
      tfjsVersion: '4.22.0',
      onnx: { available: false, error: 'onnxruntime-node cannot be used: not installed' },
      lastError: null,
      restarts: 0,
    };
    const wrapper = mount(StatusBar);
    const pill = wrapper.get('[data-testid="engine-state"]');
    expect(pill.text()).toBe('Engine: ready · cpu · no ONNX Runtime');
    expect(pill.attributes('title')).toBe('cpu\nonnxruntime-node cannot be used: not installed');
    engine.status = { state: 'starting', backend: null, backendPackage: null, tfjsVersion: null, onnx: null, lastError: null, restarts: 0 };
    await wrapper.vm.$nextTick();
    expect(wrapper.get('[data-testid="engine-state"]').text()).toBe('Engine: starting');
  });

  it('offers a restart after a crash', () => {
    useEngineStore().status = {
      state: 'crashed',
      backend: 'wasm',
      backendPackage: null,
      tfjsVersion: null,
      onnx: null,
      lastError: 'Engine stopped unexpectedly (killed by SIGKILL)',
      restarts: 1,
    };
    const wrapper = mount(StatusBar);
    expect(wrapper.text()).toContain('killed by SIGKILL');
    expect(wrapper.find('button').text()).toBe('Restart engine');
  });
});
