import { describe, expect, it } from 'vitest';
import { selectBackend, type ModuleLoader } from './backend';

/** A fake tfjs module that accepts the backends in `works`. */
function fakeTf(works: string[]) {
  let current = '';
  return {
    version: { tfjs: '4.22.0' },
    setBackend: async (name: string) => {
      if (!works.includes(name)) return false;
      current = name;
      return true;
    },
    ready: async () => undefined,
    getBackend: () => current,
  };
}

function loader(modules: Record<string, unknown>): { load: ModuleLoader; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    load: async (specifier) => {
      asked.push(specifier);
      if (!(specifier in modules)) throw new Error(`Cannot find package '${specifier}'`);
      return modules[specifier];
    },
  };
}

describe('selectBackend', () => {
  it('prefers tfjs-node-gpu when it is installed', async () => {
    const { load } = loader({ '@tensorflow/tfjs-node-gpu': fakeTf(['tensorflow']), '@tensorflow/tfjs': fakeTf(['wasm']) });
    const selected = await selectBackend(load);
    expect(selected).toMatchObject({ backend: 'tensorflow', pkg: '@tensorflow/tfjs-node-gpu', tried: [] });
  });

  it('falls back to tfjs-node when the GPU package is missing', async () => {
    const { load } = loader({ '@tensorflow/tfjs-node': { default: fakeTf(['tensorflow']) } });
    const selected = await selectBackend(load);
    expect(selected.pkg).toBe('@tensorflow/tfjs-node');
    expect(selected.tried).toEqual([{ pkg: '@tensorflow/tfjs-node-gpu', error: "Cannot find package '@tensorflow/tfjs-node-gpu'" }]);
  });

  it('falls back to wasm, then cpu, recording why', async () => {
    const wasm = loader({ '@tensorflow/tfjs': fakeTf(['wasm', 'cpu']), '@tensorflow/tfjs-backend-wasm': {} });
    expect((await selectBackend(wasm.load)).backend).toBe('wasm');
    const cpu = loader({ '@tensorflow/tfjs': fakeTf(['cpu']), '@tensorflow/tfjs-backend-wasm': {} });
    const selected = await selectBackend(cpu.load);
    expect(selected.backend).toBe('cpu');
    expect(selected.tried.map((t) => t.pkg)).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm']);
  });

  it('uses only the preferred backend when one is forced', async () => {
    const { load, asked } = loader({ '@tensorflow/tfjs': fakeTf(['cpu', 'wasm']) });
    expect((await selectBackend(load, 'cpu')).backend).toBe('cpu');
    expect(asked).toEqual(['@tensorflow/tfjs']);
  });

  it('fails with every reason when nothing works', async () => {
    const { load } = loader({});
    await expect(selectBackend(load)).rejects.toThrow(/No tfjs backend works here/);
  });

  it('picks wasm on this machine with the real packages', async () => {
    const { importModule } = await import('./backend');
    const selected = await selectBackend(importModule);
    expect(['wasm', 'cpu', 'tensorflow']).toContain(selected.backend);
  });
});
