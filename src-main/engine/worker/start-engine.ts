import { importModule, selectBackend } from '../backend';
import type { EngineHandlers } from './engine-context';
import { detectEnginePort } from './engine-port';
import { serveEngine } from './engine-server';

/** Picks the backend, says hello (or why it cannot start) and serves the given handlers on this process's channel. */
export async function startEngine(createHandlers: () => EngineHandlers): Promise<void> {
  const port = detectEnginePort();
  try {
    const selected = await selectBackend(importModule, process.env.GRAFT_BACKEND || undefined);
    serveEngine(port, selected, createHandlers());
    port.send({
      kind: 'ready',
      hello: {
        backend: selected.backend,
        backendPackage: selected.pkg,
        tfjsVersion: selected.tf.version.tfjs ?? selected.tf.version_core,
        tried: selected.tried,
      },
    });
  } catch (error) {
    port.send({ kind: 'fatal', error: (error as Error).message });
    process.exitCode = 1;
  }
}
