import type { ModuleLoader } from '../../backend';

/** What a fake onnxruntime-node module can do. */
export interface FakeOrtOptions {
  /** Providers whose sessions can be created. */
  working: string[];
  /** What listSupportedBackends reports. */
  listed: string[];
}

/** A stand-in for onnxruntime-node: sessions copy their input (the probe graph is an Identity). */
export function fakeOrt({ working, listed }: FakeOrtOptions) {
  class Tensor {
    constructor(
      readonly type: string,
      readonly data: Float32Array,
      readonly dims: number[],
    ) {}
  }
  const created: string[][] = [];
  return {
    created,
    Tensor,
    env: { logLevel: 'warning', versions: { common: '9.9.9', node: '9.9.9' } },
    listSupportedBackends: () => listed.map((name) => ({ name, bundled: name === 'cpu' })),
    InferenceSession: {
      create: async (_model: unknown, options: { executionProviders?: string[] }) => {
        const providers = options.executionProviders ?? ['cpu'];
        created.push(providers);
        const missing = providers.find((p) => !working.includes(p));
        if (missing) throw new Error(`OrtSessionOptionsAppendExecutionProvider_${missing}: Failed to load shared library\nmore detail`);
        return {
          inputNames: ['x'],
          outputNames: ['y'],
          run: async (feeds: Record<string, Tensor>) => ({ y: { data: feeds.x!.data } }),
          release: async () => undefined,
        };
      },
    },
  };
}

/** A module loader that knows only the modules given (like backend.test.ts's). */
export function fakeLoader(modules: Record<string, unknown>): { load: ModuleLoader; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    load: async (specifier) => {
      asked.push(specifier);
      if (!(specifier in modules)) throw new Error(`Cannot find package '${specifier}' imported from engine\nstack`);
      return modules[specifier];
    },
  };
}
