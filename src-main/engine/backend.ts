import type * as TfModule from '@tensorflow/tfjs';
import type { TfBackendName } from '../api/types/app';

/** The tfjs API surface the engine uses, whichever package supplied it. */
export type Tf = typeof TfModule;

/** Loads a module by name; injected so tests can pretend packages exist or not. */
export type ModuleLoader = (specifier: string) => Promise<unknown>;

/** The backend the engine ended up with. */
export interface SelectedBackend {
  tf: Tf;
  backend: TfBackendName;
  pkg: string;
  tried: { pkg: string; error: string }[];
}

/** Native packages in order of preference; both bring their own tfjs and register 'tensorflow'. */
export const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

/**
 * Picks the fastest tfjs backend that works here: tfjs-node-gpu (CUDA), tfjs-node, then
 * wasm, then pure-JS cpu. Each failure is recorded so `graft doctor` can say why.
 */
export async function selectBackend(load: ModuleLoader, prefer?: string): Promise<SelectedBackend> {
  const tried: { pkg: string; error: string }[] = [];
  const candidates = prefer ? [prefer] : [...NATIVE_PACKAGES, '@tensorflow/tfjs-backend-wasm', 'cpu'];
  for (const pkg of candidates) {
    try {
      const chosen = await tryCandidate(load, pkg);
      if (chosen) return { ...chosen, pkg, tried };
      tried.push({ pkg, error: 'backend did not initialise' });
    } catch (error) {
      tried.push({ pkg, error: (error as Error).message.split('\n')[0] ?? String(error) });
    }
  }
  throw new Error(`No tfjs backend works here: ${tried.map((t) => `${t.pkg}: ${t.error}`).join('; ')}`);
}

async function tryCandidate(load: ModuleLoader, pkg: string): Promise<{ tf: Tf; backend: TfBackendName } | null> {
  if ((NATIVE_PACKAGES as readonly string[]).includes(pkg)) {
    const tf = unwrapDefault(await load(pkg)) as Tf;
    quiet(tf);
    if (!(await tf.setBackend('tensorflow'))) return null;
    await tf.ready();
    return { tf, backend: 'tensorflow' };
  }
  const tf = unwrapDefault(await load('@tensorflow/tfjs')) as Tf;
  quiet(tf);
  if (pkg === '@tensorflow/tfjs-backend-wasm') await load(pkg);
  const name = pkg === 'cpu' ? 'cpu' : 'wasm';
  if (!(await tf.setBackend(name))) return null;
  await tf.ready();
  return { tf, backend: name };
}

/** Production mode: no debug checks, and no "install our node backend" banner in Graft's output (`graft doctor` says which backend runs). */
function quiet(tf: Tf): void {
  tf.enableProdMode?.();
}

function unwrapDefault(mod: unknown): unknown {
  const record = mod as { default?: unknown; setBackend?: unknown };
  return typeof record.setBackend === 'function' ? mod : (record.default ?? mod);
}

/** The real loader: a dynamic import, so nothing is loaded until the engine starts. */
export const importModule: ModuleLoader = (specifier) => import(specifier);
