import { fork } from 'node:child_process';
import type { FromEngine, ToEngine } from '../protocol';

/** The main side's handle on one engine process, whatever started it. */
export interface EngineProcess {
  readonly pid: number | undefined;
  send(message: ToEngine): void;
  onMessage(listener: (message: FromEngine) => void): void;
  /** Called once when the process is gone; `reason` says how it ended. */
  onExit(listener: (reason: string) => void): void;
  kill(): void;
}

/** Starts a fresh engine process. Electron passes a utilityProcess spawner; Node uses fork. */
export type EngineSpawner = () => EngineProcess;

/** Options for forking the engine under plain Node. */
export interface ForkOptions {
  /** Extra Node flags, e.g. ['--import', 'tsx'] to run the TypeScript entry in tests. */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
}

/** A spawner that runs the engine entry with child_process.fork. */
export function forkSpawner(entry: string, options: ForkOptions = {}): EngineSpawner {
  return () => {
    const child = fork(entry, [], {
      execArgv: options.execArgv ?? [],
      env: options.env ?? process.env,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return {
      get pid() {
        return child.pid;
      },
      send: (message) => {
        if (child.connected) child.send(message);
      },
      onMessage: (listener) => child.on('message', (message) => listener(message as FromEngine)),
      onExit: (listener) => {
        let reported = false;
        const report = (reason: string) => {
          if (!reported) listener(reason);
          reported = true;
        };
        child.once('exit', (code, signal) => report(signal ? `killed by ${signal}` : `exit code ${code}`));
        child.once('error', (error) => report(error.message));
      },
      kill: () => {
        child.kill('SIGKILL');
      },
    };
  };
}
