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

const io = { out: (text: string) => process.stdout.write(text + '\n'), err: (text: string) => process.stderr.write(text + '\n') };
runCli(process.argv.slice(2), COMMANDS, io, controller.signal).then(
  (code) => process.exit(code),
  (error: unknown) => {
    io.err(`graft: ${(error as Error).message}`);
    process.exit(1);
  },
);
