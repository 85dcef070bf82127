import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { GraftError, type ErrorCode } from '../../../api/errors';
import type { OrtSession, OrtSessionOptions } from '../ort-session';
import type { OpenedSession, OrtThreadCall, OrtThreadReply, OrtThreadRequest, ThreadError } from './ort-thread-protocol';

/** The built entry's file name (electron.vite.config.ts names it). */
const BUILT_ENTRY = 'ort-thread.js';

/**
 * The worker's entry: the TypeScript source beside this module when running from source, else
 * the built `ort-thread.js`, found by walking up from this module (bundled into out/main or a
 * chunk folder under it).
 */
function entry(): { file: string; fromSource: boolean } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return { file: path.join(path.dirname(here), 'ort-thread-main.ts'), fromSource: true };
  for (let dir = path.dirname(here); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, BUILT_ENTRY);
    if (existsSync(candidate)) return { file: candidate, fromSource: false };
    if (path.dirname(dir) === dir) throw new Error(`${BUILT_ENTRY} is missing from this installation.`);
  }
}

/** tsx's ESM register entry, for a worker that loads TypeScript (tests, `npx tsx`). */
function tsxRegisterUrl(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  type Target = string | { default?: string };
  const exports = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import?: Target }> }).exports;
  const found = exports['./esm/api']?.import;
  const target = typeof found === 'string' ? found : found?.default;
  if (!target) throw new Error('tsx has no ESM register API.');
  return pathToFileURL(path.join(path.dirname(manifest), target)).href;
}

function startWorker(): Worker {
  const { file, fromSource } = entry();
  if (!fromSource) return new Worker(file);
  const code = `import(${JSON.stringify(tsxRegisterUrl())}).then(({ register }) => { register(); return import(${JSON.stringify(pathToFileURL(file).href)}); });`;
  return new Worker(code, { eval: true });
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

function fromThread(error: ThreadError): Error {
  return error.code ? new GraftError(error.code as ErrorCode, error.message, error.details ?? {}) : new Error(error.message);
}

/**
 * One worker thread that holds ONNX Runtime sessions and runs them, one call at a time in the
 * order asked. Started on first use; if it dies, every call in flight fails with the reason and
 * the next use starts a new one.
 */
export class OrtThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker();
    // The thread never keeps the process alive on its own.
    worker.unref();
    worker.on('message', (reply: OrtThreadReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (!waiting) return;
      if (reply.ok) waiting.resolve(reply.result);
      else waiting.reject(fromThread(reply.error));
    });
    const fail = (reason: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      const error = new GraftError('engine-crashed', `The ONNX Runtime thread stopped (${reason}).`);
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    worker.on('error', (error) => fail(error.message));
    worker.on('exit', (code) => fail(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }

  private call<T>(request: OrtThreadCall): Promise<T> {
    const worker = this.ensure();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      // While a call is out the thread must keep the process alive, or its reply could be lost.
      worker.ref();
      worker.postMessage({ ...request, id } as OrtThreadRequest);
    }).finally(() => {
      if (this.pending.size === 0) this.worker?.unref();
    });
  }

  /** Opens a model (file path or bytes) on this thread; the session's runs happen here too. */
  async open(model: string | Uint8Array, options: OrtSessionOptions = {}): Promise<OrtSession> {
    const opened = await this.call<OpenedSession>({ op: 'open', model, options });
    let disposed = false;
    return {
      inputName: opened.inputName,
      outputNames: opened.outputNames,
      run: (input, dims) => {
        if (disposed) return Promise.reject(new Error('The ONNX Runtime session was disposed.'));
        // The input is copied to the thread (callers may reuse their buffer); the outputs move back.
        return this.call<Float32Array[]>({ op: 'run', session: opened.session, input, dims });
      },
      dispose: async () => {
        if (disposed) return;
        disposed = true;
        await this.call({ op: 'close', session: opened.session }).catch(() => undefined);
      },
    };
  }

  /** Stops the thread; calls in flight fail. */
  async terminate(): Promise<void> {
    const worker = this.worker;
    if (worker) await worker.terminate();
  }
}

let shared: OrtThread | undefined;

/** The engine's ONNX Runtime thread, shared by every forward that runs off the engine's own thread. */
export function ortThread(): OrtThread {
  shared ??= new OrtThread();
  return shared;
}
