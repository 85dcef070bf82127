/**
 * Entry point of the engine process (utilityProcess in Electron, child_process.fork under
 * Node). Picks the tfjs backend, says hello, then serves requests.
 */
import { startEngine } from './start-engine';
import { createEngineHandlers } from './engine-handlers';

void startEngine(createEngineHandlers);
