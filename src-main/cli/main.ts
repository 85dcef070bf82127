/** Entry point of the `graft` command line (built to out/main/cli.js). */
import { COMMANDS } from './commands';
import { runCli } from './run-cli';

const controller = new AbortController();
let interrupted = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    interrupted += 1;
    if (interrupted > 1) process.exit(130);
    controller.abort();
  });
}

/**
 * Exits once everything written has reached stdout and stderr: a pipe read by a slow reader
 * holds what does not fit in its buffer, and exiting before it drains would cut the output.
 */
function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

const io = { out: (text: string) => process.stdout.write(text + '\n'), err: (text: string) => process.stderr.write(text + '\n') };
runCli(process.argv.slice(2), COMMANDS, io, controller.signal).then(exitWhenFlushed, (error: unknown) => {
  io.err(`graft: ${(error as Error).message}`);
  exitWhenFlushed(1);
});
