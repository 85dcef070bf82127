import { GraftError } from '../../api/errors';
import { errnoCode } from '../../base/fs-errors';
import { createAppServices } from '../../core/app-services';
import { describeOwner, projectLockOwner, takeProjectLock, type LockOwner } from '../../core/project/project-lock';
import { mediaRoute } from '../../serve/media-route';
import { exportZipRoute } from '../../serve/export-zip-route';
import { startServeServer, type RunningServer } from '../../serve/serve-server';
import { nodeEngineSpawner, rendererDir } from '../app-paths';
import { printResult, type CliCommand, type CliValues } from '../command';
import { requirePositional } from '../run-cli';

/** The port graft serve listens on unless told otherwise. */
const DEFAULT_PORT = 5170;

/** Parses --port: 0 (any free port) to 65535. */
function parsePort(value: unknown): number {
  if (value === undefined) return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new GraftError('bad-request', `--port must be 0–65535, got "${String(value)}".`);
  return port;
}

/** The names given with --allow-host (repeatable, or comma-separated). */
function allowedHosts(values: CliValues): string[] {
  const raw = values['allow-host'];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.flatMap((item) => String(item).split(',')).map((name) => name.trim()).filter(Boolean);
}

function alreadyServed(dir: string, owner: LockOwner): GraftError {
  const where = owner.detail ? ` at ${owner.detail}` : '';
  return new GraftError(
    'bad-request',
    `${dir} is already served by graft serve (${describeOwner(owner)})${where}. Open that one (its URL with the token was printed where it started), or stop it first.`,
  );
}

async function listen(options: Parameters<typeof startServeServer>[0]): Promise<RunningServer> {
  try {
    return await startServeServer(options);
  } catch (error) {
    if (errnoCode(error) === 'EADDRINUSE') {
      throw new GraftError('bad-request', `Port ${options.port} on ${options.host} is in use (another graft serve?); try --port 0 for any free port, or --port N.`);
    }
    throw error;
  }
}

/** `graft serve <project-dir>`: the app without Electron, in a browser. */
export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Serve a project to a browser (headless mode, for remote machines and tests).',
  usage: 'serve <project-dir> [--port N] [--host H] [--allow-host NAME]… [--json]',
  details: [
    'Prints a URL with a random access token; requests without the token are refused.',
    'Binding another host than loopback exposes the app on the network: anyone with the token can use it.',
    "Requests must name this server in their Host header (a defence against DNS rebinding): localhost and loopback addresses; with --host, also this machine's own names and addresses; and each --allow-host name.",
    'A project is served by one graft serve at a time; a second one says where the first is.',
  ],
  options: {
    port: { type: 'string', value: 'N', description: 'the port to listen on; 0 picks a free one', defaultText: String(DEFAULT_PORT) },
    host: { type: 'string', value: 'H', description: 'the address to bind (0.0.0.0 for every interface)', defaultText: '127.0.0.1' },
    'allow-host': {
      type: 'string',
      multiple: true,
      value: 'NAME',
      description: 'another name browsers may use for this server, e.g. behind a proxy (repeat it, or separate names with commas)',
      defaultText: 'none',
    },
  },
  async run({ positionals, values, json, io, signal }) {
    const dir = requirePositional(positionals, 0, 'the project folder', this.usage);
    let stopping = false;
    const logError = (m: string, e: unknown) => {
      // Ctrl+C while the engine is still starting stops it mid-start: not a failure.
      if (stopping && e instanceof GraftError && e.code === 'engine-unavailable') return;
      io.err(`graft: ${m}: ${e instanceof Error ? (e instanceof GraftError ? e.message : e.stack) : String(e)}`);
    };
    // The engine starts once serving has begun: a serve that cannot start (port in use, project
    // already served) then stops without an engine to tear down mid-start.
    const services = createAppServices({ mode: 'serve', spawnEngine: nodeEngineSpawner(), projectDir: dir, logError, lazyEngine: true });
    try {
      const project = services.ctx.session.require();
      const serving = projectLockOwner(project.db, 'serve');
      if (serving) throw alreadyServed(dir, serving);
      const host = typeof values.host === 'string' ? values.host : '127.0.0.1';
      const server = await listen({
        host,
        port: parsePort(values.port),
        rendererDir: rendererDir(),
        dispatcher: services.dispatcher,
        bus: services.ctx.bus,
        routes: [mediaRoute(services.ctx.session), exportZipRoute(services.ctx.session)],
        allowHosts: allowedHosts(values),
      });
      try {
        // Taken once listening, so the lock can say where (without the token); a serve that
        // started in between wins, and this one says where it is.
        const lock = takeProjectLock(project.db, 'serve', server.url.replace(/\?token=.*$/, ''));
        if ('heldBy' in lock) throw alreadyServed(dir, lock.heldBy);
        try {
          void services.ctx.engine.start().catch((error: unknown) => logError('the engine failed to start', error));
          printResult(io, json, { url: server.url, port: server.port, project: dir }, () => `Graft is serving ${dir}\nOpen ${server.url}\nPress Ctrl+C to stop.`);
          await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        } finally {
          lock.release();
        }
      } finally {
        await server.dispose();
      }
      return 0;
    } finally {
      stopping = true;
      await services.dispose();
    }
  },
};
