import type { FromEngine, ToEngine } from '../protocol';

/** The engine's end of its channel to the main side. */
export interface EnginePort {
  send(message: FromEngine): void;
  onMessage(listener: (message: ToEngine) => void): void;
}

interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

/**
 * Finds the channel this process was started with: Electron's utilityProcess exposes
 * `process.parentPort`; child_process.fork gives `process.send`.
 */
export function detectEnginePort(proc: NodeJS.Process = process): EnginePort {
  const parentPort = (proc as NodeJS.Process & { parentPort?: ParentPortLike }).parentPort;
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data as ToEngine)),
    };
  }
  if (typeof proc.send === 'function') {
    return {
      send: (message) => proc.send!(message),
      onMessage: (listener) => proc.on('message', (message) => listener(message as ToEngine)),
    };
  }
  throw new Error('The engine must be started by Graft (no parent channel).');
}
