/**
 * Junk parameters sent to every request of the contract, over the real services with a
 * project open: each reply is a result or an error the caller can act on, never `internal`,
 * and nothing reaches the error log. Fields are found by probing each request's parser, so
 * junk lands in every field a well-formed prefix of earlier fields reaches.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply, RequestName } from '../../api/contract';
import { REQUEST_PARAMS } from '../../api/params';
import { ParseError } from '../../base/parse';
import { forkSpawner } from '../../engine/host/engine-process';
import { createAppServices, type AppServices } from '../app-services';
import { makeImage, makeTempDir, type TempDir } from '../library/library-fixtures';

// By absolute URL: the working folder is a temporary one during the test, where 'tsx' does not resolve.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const engineEntry = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'engine', 'worker', 'engine-main.ts');

/** Values a client can send as JSON that no request expects. */
function junkValues(tmp: string): unknown[] {
  let deep: unknown = 1;
  for (let i = 0; i < 500; i++) deep = i % 2 ? { a: deep } : [deep];
  return [
    null,
    true,
    false,
    0,
    -1,
    -0,
    1.5,
    1e308,
    2 ** 53,
    'x',
    '',
    '\u0000',
    '1e3',
    'a'.repeat(5000),
    '/dev/zero',
    path.join(tmp, 'no-such', 'file.csv'),
    [],
    [null],
    [1, 'a', {}],
    {},
    { a: 1 },
    JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": 1}}'),
    deep,
  ];
}

/** Values tried, in order, to get past a field and reach the next one. */
function candidates(tmp: string): unknown[] {
  return [1, 'a', path.join(tmp, 'probe', 'target.csv'), true, [1], ['a'], {}, 0.5];
}

/** The top-level field a parse error names, or null when the whole value was refused. */
function topField(error: ParseError): string | null {
  const match = /^[^.[]+/.exec(error.path);
  return match ? match[0] : null;
}

/**
 * Walks a request's fields: returns each prefix of accepted values with the field the parser
 * asks for next, so junk can be put there.
 */
function fieldPrefixes(name: RequestName, tmp: string): { prefix: Record<string, unknown>; field: string }[] {
  const parser = REQUEST_PARAMS[name] as (value: unknown) => unknown;
  const out: { prefix: Record<string, unknown>; field: string }[] = [];
  const prefix: Record<string, unknown> = {};
  for (let step = 0; step < 16; step++) {
    let refusal: ParseError;
    try {
      parser(prefix);
      return out;
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      refusal = error;
    }
    const field = topField(refusal);
    if (field === null || out.some((o) => o.field === field)) return out;
    out.push({ prefix: { ...prefix }, field });
    // A field that takes one of a few words names them: try those too.
    const named = /^one of /.test(refusal.expected) ? (JSON.parse(`[${refusal.expected.slice(7)}]`) as unknown[]) : [];
    const accepted = [...named, ...candidates(tmp)].find((value) => {
      try {
        parser({ ...prefix, [field]: value });
        return true;
      } catch (error) {
        return error instanceof ParseError && topField(error) !== field;
      }
    });
    if (accepted === undefined) return out;
    prefix[field] = accepted;
  }
  return out;
}

describe('junk parameters over the real dispatcher', () => {
  let tmp: TempDir;
  let services: AppServices;
  const logged: string[] = [];
  const cwd = process.cwd();

  beforeAll(async () => {
    tmp = makeTempDir('graft-fuzz-');
    // Junk such as "x" is a valid relative path: whatever it creates must land in the temporary folder.
    process.chdir(tmp.dir);
    const photos = path.join(tmp.dir, 'photos');
    fs.mkdirSync(photos);
    for (let i = 0; i < 3; i++) fs.writeFileSync(path.join(photos, `p${i}.png`), await makeImage('png', i + 1));
    services = createAppServices({
      mode: 'serve',
      spawnEngine: forkSpawner(engineEntry, { execArgv: ['--import', tsxLoader], env: { ...process.env, GRAFT_BACKEND: 'cpu' } }),
      logError: (message, error) => logged.push(`${message}: ${error instanceof Error ? error.stack : String(error)}`),
    });
    // Up before the junk: an engine.restart while it is still starting would be logged as a failed start.
    await services.ctx.engine.start();
    services.ctx.session.create(path.join(tmp.dir, 'project'));
    const reply = await services.dispatcher.dispatch('library.import', { folder: photos });
    expect(reply.ok).toBe(true);
  }, 60_000);

  afterAll(async () => {
    await services?.dispose();
    process.chdir(cwd);
    tmp?.cleanup();
  });

  it('never answers internal, whatever lands in any field of any request', async () => {
    const names = Object.keys(REQUEST_PARAMS) as RequestName[];
    // Last, so the project the others run against stays open until they are done.
    const projectCalls = names.filter((n) => n.startsWith('project.'));
    const ordered = [...names.filter((n) => !n.startsWith('project.')), ...projectCalls];
    const junk = junkValues(tmp.dir);
    const internal: string[] = [];
    let calls = 0;
    for (const name of ordered) {
      const sends: unknown[] = [...junk, undefined];
      for (const { prefix, field } of fieldPrefixes(name, tmp.dir)) {
        for (const value of junk) sends.push({ ...prefix, [field]: value });
      }
      for (const params of sends) {
        // What a transport delivers is JSON: send exactly that.
        const wire = params === undefined ? undefined : (JSON.parse(JSON.stringify(params)) as unknown);
        const reply = (await services.dispatcher.dispatch(name, wire)) as Reply<unknown>;
        calls++;
        if (!reply.ok && reply.error.code === 'internal') {
          internal.push(`${name}(${JSON.stringify(wire)?.slice(0, 120)}) → ${reply.error.message}`);
        }
      }
    }
    expect(internal).toEqual([]);
    expect(logged).toEqual([]);
    expect(calls).toBeGreaterThan(names.length * junk.length);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 120_000);
});
