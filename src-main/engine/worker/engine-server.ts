import { toApiError } from '../../api/errors';
import type { SelectedBackend } from '../backend';
import type { EngineHandlers } from './engine-context';
import type { EnginePort } from './engine-port';
import type { EngineRequestName, ToEngine } from '../protocol';

/**
 * Serves engine requests on a port: runs each with its own AbortController, forwards
 * progress, answers with a reply, and aborts on 'cancel'.
 */
export function serveEngine(port: EnginePort, selected: SelectedBackend, handlers: EngineHandlers): void {
  const running = new Map<number, AbortController>();

  port.onMessage((message: ToEngine) => {
    switch (message.kind) {
      case 'request':
        void run(message.id, message.name, message.params);
        break;
      case 'cancel':
        running.get(message.id)?.abort();
        break;
      case 'shutdown':
        for (const controller of running.values()) controller.abort();
        process.exit(0);
    }
  });

  async function run(id: number, name: EngineRequestName, params: unknown): Promise<void> {
    const controller = new AbortController();
    running.set(id, controller);
    try {
      const handler = handlers[name] as (p: unknown, ctx: Parameters<EngineHandlers[typeof name]>[1]) => Promise<unknown>;
      if (typeof handler !== 'function') throw new Error(`Unknown engine request: ${String(name)}`);
      const result = await handler(params, {
        tf: selected.tf,
        backend: selected.backend,
        signal: controller.signal,
        progress: (progress) => port.send({ kind: 'progress', id, progress }),
      });
      port.send({ kind: 'reply', id, ok: true, result });
    } catch (error) {
      port.send({ kind: 'reply', id, ok: false, error: toApiError(error) });
    } finally {
      running.delete(id);
    }
  }
}
