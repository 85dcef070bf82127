import { importModule, selectBackend } from '../backend';
import { onnxRuntimeInfo, onnxRuntimeOnce } from '../onnx/ort-loader';
import type { EngineHandlers } from './engine-context';
import { detectEnginePort } from './engine-port';
import { serveEngine } from './engine-server';

/**
 * Picks the backend, loads ONNX Runtime (here, not at import: a broken native binding only
 * means tfjs runs everything), says hello (or why it cannot start) and serves the given
 * handlers on this process's channel.
 */
export async function startEngine(createHandlers: () => EngineHandlers): Promise<void> {
  const port = detectEnginePort();
  try {
    const selected = await selectBackend(importModule, process.env.GRAFT_BACKEND || undefined);
    const onnx = onnxRuntimeInfo(await onnxRuntimeOnce());
    serveEngine(port, selected, createHandlers());
    port.send({
      kind: 'ready',
      hello: {
        backend: selected.backend,
        backendPackage: selected.pkg,
        tfjsVersion: selected.tf.version.tfjs ?? selected.tf.version_core,
        tried: selected.tried,
        onnx,
      },
    });
  } catch (error) {
    port.send({ kind: 'fatal', error: (error as Error).message });
    process.exitCode = 1;
  }
}
