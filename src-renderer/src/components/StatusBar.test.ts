import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import StatusBar from './StatusBar.vue';
import { useEngineStore } from '../stores/useEngineStore';
import { useAppStore } from '../stores/useAppStore';

describe('StatusBar', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('shows the engine state and backend', () => {
    useEngineStore().status = { state: 'ready', backend: 'wasm', backendPackage: '@tensorflow/tfjs-backend-wasm', tfjsVersion: '4.22.0', lastError: null, restarts: 0 };
    useAppStore().info = { version: '0.1.0', mode: 'serve', canPickFolder: false };
    const wrapper = mount(StatusBar);
    expect(wrapper.get('[data-testid="engine-state"]').text()).toBe('Engine: ready · wasm');
    expect(wrapper.text()).toContain('browser (graft serve)');
  });

  it('offers a restart after a crash', () => {
    useEngineStore().status = { state: 'crashed', backend: 'wasm', backendPackage: null, tfjsVersion: null, lastError: 'Engine stopped unexpectedly (killed by SIGKILL)', restarts: 1 };
    const wrapper = mount(StatusBar);
    expect(wrapper.text()).toContain('killed by SIGKILL');
    expect(wrapper.find('button').text()).toBe('Restart engine');
  });
});
