import type * as OrtModule from 'onnxruntime-node';
import type { OnnxProvider, OnnxRuntimeInfo } from '../../api/types/app';
import { importModule, type ModuleLoader } from '../backend';
import { GraphBuilder } from './convert/graph-builder';

/** The onnxruntime-node API surface we use. */
export type Ort = typeof OrtModule;

/** ONNX Runtime, loaded and checked, with the providers that actually work here. */
export interface OnnxRuntime {
  ort: Ort;
  version: string;
  /** 'cpu' always; 'cuda' only when a session could be created with it. */
  providers: OnnxProvider[];
  /** Why a provider the package lists could not be used, for `graft doctor`. */
  unavailable: { provider: string; error: string }[];
}

/** The outcome of trying to load ONNX Runtime: the runtime, or why it is not there. */
export type OnnxRuntimeStatus = { available: true; runtime: OnnxRuntime } | { available: false; error: string };

/** The npm package; its CPU binaries ship inside it. */
export const ORT_PACKAGE = 'onnxruntime-node';

/**
 * Loads onnxruntime-node through `load` (a dynamic import in production, a fake in tests),
 * runs a one-node graph on the CPU to prove the native binding works, and probes CUDA when
 * the package lists it. Never throws: a failure comes back as `{ available: false, error }`
 * so the engine can fall back to tfjs and say why.
 */
export async function loadOnnxRuntime(load: ModuleLoader = importModule): Promise<OnnxRuntimeStatus> {
  let ort: Ort;
  try {
    ort = unwrapDefault(await load(ORT_PACKAGE));
    // ORT logs a failed provider probe to stderr as an error; failures reach us as exceptions anyway.
    ort.env.logLevel = 'fatal';
    await runProbe(ort, ['cpu']);
  } catch (error) {
    return { available: false, error: `${ORT_PACKAGE} cannot be used: ${firstLine(error)}` };
  }
  const providers: OnnxProvider[] = ['cpu'];
  const unavailable: { provider: string; error: string }[] = [];
  if (listed(ort).includes('cuda')) {
    try {
      await runProbe(ort, ['cuda']);
      providers.push('cuda');
    } catch (error) {
      unavailable.push({ provider: 'cuda', error: firstLine(error) });
    }
  }
  return { available: true, runtime: { ort, version: ort.env.versions?.node ?? ort.env.versions?.common ?? 'unknown', providers, unavailable } };
}

/** The status as plain data for the engine's hello and `graft doctor` (no module handle). */
export function onnxRuntimeInfo(status: OnnxRuntimeStatus): OnnxRuntimeInfo {
  if (!status.available) return { available: false, error: status.error };
  const { version, providers, unavailable } = status.runtime;
  return { available: true, version, providers: [...providers], unavailable: unavailable.map((u) => ({ ...u })) };
}

let once: Promise<OnnxRuntimeStatus> | undefined;

/** `loadOnnxRuntime` with the real import, done at most once per process (the first call pays). */
export function onnxRuntimeOnce(): Promise<OnnxRuntimeStatus> {
  once ??= loadOnnxRuntime();
  return once;
}

/** Providers the package says it has (bundled or not); older packages lack the call. */
function listed(ort: Ort): string[] {
  const list = (ort as { listSupportedBackends?: () => { name: string }[] }).listSupportedBackends;
  return typeof list === 'function' ? list().map((b) => b.name) : [];
}

/** Creates and runs an Identity graph with exactly these providers. */
async function runProbe(ort: Ort, executionProviders: string[]): Promise<void> {
  const builder = new GraphBuilder();
  builder.reserve('x');
  builder.addNodeNamed('Identity', ['x'], 'y');
  const bytes = builder.toBytes([{ name: 'x', dims: [1] }], [{ name: 'y', dims: [1] }], 'probe');
  const session = await ort.InferenceSession.create(bytes, { executionProviders });
  try {
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.of(2), [1]) });
    if ((out.y?.data as Float32Array | undefined)?.[0] !== 2) throw new Error('a one-node test graph gave a wrong answer');
  } finally {
    await session.release();
  }
}

function unwrapDefault(mod: unknown): Ort {
  const record = mod as { InferenceSession?: unknown; default?: unknown };
  const ort = (record.InferenceSession ? mod : record.default) as Ort | undefined;
  if (!ort?.InferenceSession || !ort.Tensor) throw new Error('the module has no InferenceSession');
  return ort;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
