import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { COMMANDS } from './commands';
import { runCli } from './run-cli';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe('graft CLI', () => {
  it('lists every verb in the global help', async () => {
    const { io, out } = capture();
    expect(await runCli(['--help'], COMMANDS, io)).toBe(0);
    for (const command of COMMANDS) expect(out.join('\n')).toContain(command.name);
  });

  it('has --help on every verb', async () => {
    for (const command of COMMANDS) {
      const { io, out } = capture();
      expect(await runCli([command.name, '--help'], COMMANDS, io)).toBe(0);
      expect(out.join('\n')).toMatch(new RegExp(`^Usage: graft ${command.name} `));
      expect(out.join('\n')).toContain('--json');
    }
  });

  it('fails with one line and a non-zero code on unknown verbs, options and missing arguments', async () => {
    for (const argv of [['fly'], ['init', '--frobnicate', 'x'], ['init']]) {
      const { io, err } = capture();
      expect(await runCli(argv, COMMANDS, io)).not.toBe(0);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(/^graft: /);
    }
  });

  it('init creates a project and reports it as JSON; a second init fails with a JSON error', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-cli-'));
    onTestFinished(() => fs.rmSync(tmp, { recursive: true, force: true }));
    const dir = path.join(tmp, 'proj');
    const first = capture();
    expect(await runCli(['init', dir, '--json'], COMMANDS, first.io)).toBe(0);
    expect(JSON.parse(first.out.join(''))).toMatchObject({ dir, name: 'proj' });
    const second = capture();
    expect(await runCli(['init', dir, '--json'], COMMANDS, second.io)).toBe(1);
    expect(JSON.parse(second.out.join(''))).toEqual({
      error: { code: 'project-exists', message: `${dir} is already a Graft project; open it with "graft serve ${dir}" (graft import adds photos to it).` },
    });
  });

  it('serve refuses a folder that is not a project; for a folder with files in it, it suggests a new project to import them into', async () => {
    const missing = path.join(os.tmpdir(), 'no-such-graft-project');
    const { io, err } = capture();
    expect(await runCli(['serve', missing, '--port', '0'], COMMANDS, io)).toBe(1);
    expect(err).toEqual([`graft: ${missing} is not a Graft project (no graft.db). Create one there with "graft init ${missing}".`]);

    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-cli-photos-'));
    onTestFinished(() => fs.rmSync(tmp, { recursive: true, force: true }));
    const photos = path.join(tmp, 'My Photos');
    fs.mkdirSync(photos);
    fs.writeFileSync(path.join(photos, 'cat.jpg'), 'not really a jpeg');
    const second = capture();
    expect(await runCli(['serve', photos, '--port', '0'], COMMANDS, second.io)).toBe(1);
    expect(second.err).toEqual([
      `graft: ${photos} is not a Graft project (no graft.db). To use the photos in it, make a project in a new folder and import them: ` +
        `"graft init NEW-DIR", then "graft import NEW-DIR '${photos}'".`,
    ]);
    expect(second.err[0]).not.toContain(`graft init ${photos}`);
  });

  it('serve on a port in use says so and suggests --port 0', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-cli-port-'));
    onTestFinished(() => fs.rmSync(tmp, { recursive: true, force: true }));
    const dir = path.join(tmp, 'proj');
    expect(await runCli(['init', dir], COMMANDS, capture().io)).toBe(0);
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const port = (blocker.address() as AddressInfo).port;
    const { io, err } = capture();
    expect(await runCli(['serve', dir, '--port', String(port)], COMMANDS, io)).toBe(2);
    expect(err).toEqual([`graft: Port ${port} on 127.0.0.1 is in use (another graft serve?); try --port 0 for any free port, or --port N.`]);
  });

  it('doctor reports the backend the engine picked and whether Electron can start', async () => {
    const { io, out } = capture();
    expect(await runCli(['doctor', '--json'], COMMANDS, io)).toBe(0);
    const report = JSON.parse(out.join(''));
    expect(['wasm', 'cpu', 'tensorflow']).toContain(report.backend);
    expect(report).toMatchObject({ tfjs: expect.stringMatching(/^4\./), node: process.versions.node, platform: process.platform });
    expect(typeof report.electron).toBe('boolean');
  });
});
