import { ParseError } from '../../base/parse';
import { PauseGate } from '../../base/pause-gate';
import { assertNever, GraftError, toApiError } from '../../api/errors';
import type { SelectedBackend } from '../backend';
import type { EngineRequestName, ToEngine } from '../protocol';
import { ENGINE_REQUEST_KINDS, isEngineRequestName } from '../request-kinds';
import type { EngineContext, EngineHandlers } from './engine-context';
import type { EnginePort } from './engine-port';

interface Running {
  id: number;
  name: EngineRequestName;
  params: unknown;
  controller: AbortController;
  gate: PauseGate;
  started: boolean;
  /** The queue position last reported, so each change is sent once. */
  position: number | null;
}

/** Options of the server; tests shorten the shutdown wait and replace the exit. */
export interface ServeEngineOptions {
  shutdownWaitMs?: number;
  exit?: (code: number) => void;
}

/** Yields to the event loop so a control message can arrive between synchronous tensor ops. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Serves engine requests on a port. Each request's params are checked once against its
 * parser; heavy requests run one at a time in arrival order (each queued one is told its
 * position), light ones at once. Control messages cancel, pause and resume by id;
 * shutdown cancels everything, waits for the handlers to stop, releases their resources
 * and exits.
 */
export function serveEngine(port: EnginePort, selected: SelectedBackend, engine: EngineHandlers, options: ServeEngineOptions = {}): void {
  const requests = new Map<number, Running>();
  const settled = new Set<Promise<void>>();
  const heavyQueue: Running[] = [];
  let heavyBusy = false;
  let shuttingDown = false;

  port.onMessage((message: ToEngine) => {
    switch (message.kind) {
      case 'request':
        accept(message.id, message.name, message.params);
        break;
      case 'control':
        control(message.id, message.action);
        break;
      case 'shutdown':
        void shutdown();
        break;
      default:
        assertNever(message, 'engine message');
    }
  });

  function accept(id: number, name: EngineRequestName, params: unknown): void {
    if (shuttingDown) return reply(id, new GraftError('engine-unavailable', 'The engine is shutting down.'));
    if (!isEngineRequestName(name)) return reply(id, new GraftError('bad-request', `Unknown engine request: ${String(name).slice(0, 100)}`));
    const request: Running = { id, name, params, controller: new AbortController(), gate: new PauseGate(), started: false, position: null };
    requests.set(id, request);
    if (!ENGINE_REQUEST_KINDS[name].heavy) return start(request);
    heavyQueue.push(request);
    pump();
  }

  function control(id: number, action: 'cancel' | 'pause' | 'resume'): void {
    const request = requests.get(id);
    if (!request) return;
    switch (action) {
      case 'cancel':
        request.controller.abort();
        if (!request.started) {
          heavyQueue.splice(heavyQueue.indexOf(request), 1);
          requests.delete(id);
          reply(id, new GraftError('cancelled', 'Cancelled.'));
          reportPositions();
        }
        break;
      case 'pause':
        if (request.gate.pause()) port.send({ kind: 'paused', id, paused: true });
        break;
      case 'resume':
        if (request.gate.resume()) port.send({ kind: 'paused', id, paused: false });
        break;
      default:
        assertNever(action, 'engine control');
    }
  }

  function pump(): void {
    if (!heavyBusy) {
      const next = heavyQueue.shift();
      if (next) {
        heavyBusy = true;
        start(next);
      }
    }
    reportPositions();
  }

  function reportPositions(): void {
    heavyQueue.forEach((request, index) => {
      if (request.position === index + 1) return;
      request.position = index + 1;
      port.send({ kind: 'queued', id: request.id, position: request.position });
    });
  }

  function start(request: Running): void {
    request.started = true;
    if (ENGINE_REQUEST_KINDS[request.name].heavy) port.send({ kind: 'queued', id: request.id, position: null });
    const done = run(request).finally(() => {
      requests.delete(request.id);
      settled.delete(done);
      if (ENGINE_REQUEST_KINDS[request.name].heavy) {
        heavyBusy = false;
        if (!shuttingDown) pump();
      }
    });
    settled.add(done);
  }

  async function run(request: Running): Promise<void> {
    const { id, name, controller, gate } = request;
    const ctx: EngineContext = {
      tf: selected.tf,
      backend: selected.backend,
      signal: controller.signal,
      emit: (event) => port.send({ kind: 'event', id, event }),
      checkpoint: async () => {
        if (controller.signal.aborted) throw new GraftError('cancelled', 'Cancelled.');
        await yieldToEventLoop();
        await gate.wait(controller.signal).catch(() => undefined);
        if (controller.signal.aborted) throw new GraftError('cancelled', 'Cancelled.');
      },
    };
    try {
      const params = parseParams(name, request.params);
      const handler = engine.handlers[name] as (p: unknown, c: EngineContext) => Promise<unknown>;
      const result = await handler(params, ctx);
      port.send({ kind: 'reply', id, ok: true, result });
    } catch (error) {
      reply(id, error);
    }
  }

  function reply(id: number, error: unknown): void {
    port.send({ kind: 'reply', id, ok: false, error: toApiError(error) });
  }

  async function shutdown(): Promise<void> {
    if (shuttingDown) return;
    shuttingDown = true;
    for (const request of requests.values()) request.controller.abort();
    for (const request of heavyQueue.splice(0)) reply(request.id, new GraftError('cancelled', 'The engine is shutting down.'));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, options.shutdownWaitMs ?? 5_000)));
    await Promise.race([Promise.all(settled), timeout]);
    clearTimeout(timer);
    try {
      engine.dispose();
    } finally {
      (options.exit ?? ((code: number) => process.exit(code)))(0);
    }
  }
}

/** Checks one request's params against its parser; a bad one becomes a 'bad-request' naming the field. */
function parseParams(name: EngineRequestName, params: unknown): unknown {
  try {
    return ENGINE_REQUEST_KINDS[name].parse(params);
  } catch (error) {
    if (error instanceof ParseError) throw new GraftError('bad-request', `Invalid parameters for ${name}: ${error.message}`);
    throw error;
  }
}
