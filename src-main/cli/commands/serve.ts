import { GraftError } from '../../api/errors';
import { createAppServices } from '../../core/app-services';
import { mediaRoute } from '../../serve/media-route';
import { startServeServer } from '../../serve/serve-server';
import { nodeEngineSpawner, rendererDir } from '../app-paths';
import { printResult, type CliCommand } from '../command';
import { requirePositional } from '../run-cli';

/** Parses --port: 0 (any free port) to 65535. */
function parsePort(value: unknown): number {
  if (value === undefined) return 5170;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new GraftError('bad-request', `--port must be 0–65535, got "${String(value)}".`);
  return port;
}

/** `graft serve <project-dir>`: the app without Electron, in a browser. */
export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Serve a project to a browser (headless mode, for remote machines and tests).',
  usage: 'serve <project-dir> [--port N] [--host H]',
  details: [
    'Binds 127.0.0.1 by default. Prints a URL with a random access token;',
    'requests without the token are refused. --port 0 picks a free port.',
    'Binding another host exposes the app on the network: anyone with the token can use it.',
  ],
  options: { port: { type: 'string' }, host: { type: 'string' } },
  async run({ positionals, values, json, io, signal }) {
    const dir = requirePositional(positionals, 0, 'the project folder', this.usage);
    const services = createAppServices({
      mode: 'serve',
      spawnEngine: nodeEngineSpawner(),
      projectDir: dir,
      logError: (m, e) => io.err(`graft: ${m}: ${e instanceof Error ? (e instanceof GraftError ? e.message : e.stack) : String(e)}`),
    });
    try {
      const server = await startServeServer({
        host: typeof values.host === 'string' ? values.host : '127.0.0.1',
        port: parsePort(values.port),
        rendererDir: rendererDir(),
        dispatcher: services.dispatcher,
        bus: services.ctx.bus,
        routes: [mediaRoute(services.ctx.session)],
      });
      printResult(io, json, { url: server.url, port: server.port, project: dir }, () => `Graft is serving ${dir}\nOpen ${server.url}\nPress Ctrl+C to stop.`);
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      await server.dispose();
      return 0;
    } finally {
      await services.dispose();
    }
  },
};
