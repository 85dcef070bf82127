import fs from 'node:fs';
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
      expect(out.join('\n')).toContain(`Usage: graft ${command.usage}`);
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
    expect(JSON.parse(second.out.join(''))).toEqual({ error: { code: 'project-exists', message: expect.stringContaining('already exists') } });
  });

  it('serve refuses a folder that is not a project', async () => {
    const { io, err } = capture();
    expect(await runCli(['serve', path.join(os.tmpdir(), 'no-such-graft-project'), '--port', '0'], COMMANDS, io)).toBe(1);
    expect(err[0]).toContain('is not a Graft project');
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
