import { utilityProcess } from 'electron';
import type { EngineSpawner } from '../engine/host/engine-process';
import type { FromEngine } from '../engine/protocol';

/**
 * Starts the engine as an Electron utilityProcess: its own process, so a crash spares the app.
 * Downloaded weights go to `weightsCacheDir` (the app's user-data folder), like ~/.keras/models.
 */
export function utilityEngineSpawner(entry: string, weightsCacheDir: string): EngineSpawner {
  return () => {
    const child = utilityProcess.fork(entry, [], {
      serviceName: 'Graft engine',
      stdio: 'inherit',
      env: { ...process.env, GRAFT_CACHE_DIR: weightsCacheDir },
    });
    let exited = false;
    return {
      get pid() {
        return child.pid;
      },
      send: (message) => {
        if (!exited) child.postMessage(message);
      },
      onMessage: (listener) => child.on('message', (message: unknown) => listener(message as FromEngine)),
      onExit: (listener) =>
        child.once('exit', (code: number) => {
          exited = true;
          listener(`exit code ${code}`);
        }),
      kill: () => {
        child.kill();
      },
    };
  };
}
