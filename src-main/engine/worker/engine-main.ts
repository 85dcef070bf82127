/**
 * Entry point of the engine process (utilityProcess in Electron, child_process.fork under
 * Node). Picks the tfjs backend, says hello, then serves requests.
 */
import { importModule, selectBackend } from '../backend';
import { detectEnginePort } from './engine-port';
import { serveEngine } from './engine-server';
import type { EngineHandlers } from './engine-context';
import { runSelfTest } from '../requests/self-test';
import { createInferenceModels } from '../inference/acquire-model';
import { createClassifyHandler } from '../requests/classify';
import { createEmbedHandler } from '../requests/embed';
import { runModelSummary } from '../requests/model-summary';

// Models built for classify/embed, kept for the life of the process so repeated calls skip the build.
const inferenceModels = createInferenceModels();

const handlers: EngineHandlers = {
  selfTest: runSelfTest,
  classify: createClassifyHandler(inferenceModels),
  embed: createEmbedHandler(inferenceModels),
  modelSummary: runModelSummary,
};

async function main(): Promise<void> {
  const port = detectEnginePort();
  try {
    const selected = await selectBackend(importModule, process.env.GRAFT_BACKEND || undefined);
    serveEngine(port, selected, handlers);
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

void main();
