import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../core/library/library-fixtures';
import { createProject } from '../../core/project/project';
import { projectLockOwner } from '../../core/project/project-lock';
import type { CliIo } from '../command';
import { runCli } from '../run-cli';
import { serveCommand } from './serve';

const tmp = makeTempDir('graft-serve-cli-');
afterAll(() => tmp.cleanup());

function capture(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t) => out.push(t), err: (t) => err.push(t) }, out, err };
}

describe('graft serve on a project that is already served', () => {
  it('says so, and where, instead of starting silently; the project is free again once the first stops', async () => {
    const dir = path.join(tmp.dir, 'project');
    const project = createProject(dir);
    const stop = new AbortController();
    const first = capture();
    const running = runCli(['serve', dir, '--port', '0', '--json'], [serveCommand], first.io, stop.signal);
    try {
      const end = Date.now() + 30_000;
      while (!projectLockOwner(project.db, 'serve') && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      const { port } = JSON.parse(first.out.join('')) as { port: number };

      const second = capture();
      expect(await runCli(['serve', dir, '--port', '0'], [serveCommand], second.io)).toBe(2);
      expect(second.err.join('\n')).toContain(`${dir} is already served by graft serve (pid ${process.pid}) at http://127.0.0.1:${port}/.`);
      expect(second.out).toEqual([]);
    } finally {
      stop.abort();
      expect(await running).toBe(0);
    }
    expect(projectLockOwner(project.db, 'serve')).toBeNull();
    project.dispose();
  }, 60_000);
});
