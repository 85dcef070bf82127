import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { makeTempDir } from './temp-dirs';
import path from 'node:path';

/** A `graft serve` started by a test, over a fresh project. */
export interface ServedProject {
  url: string;
  origin: string;
  token: string;
  projectDir: string;
  stop(): Promise<void>;
}

const bin = path.resolve('bin/graft.js');

/** Runs the real CLI (`node bin/graft.js …`) synchronously and returns its stdout. */
export function graft(...args: string[]): string {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`graft ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** A fresh empty project folder made with `graft init`. */
export function newProject(): string {
  const projectDir = path.join(makeTempDir('graft-e2e-'), 'project');
  graft('init', projectDir);
  return projectDir;
}

/** Creates a project with `graft init` (unless given one), starts `graft serve --port 0` and waits for its URL. */
export async function serveNewProject(projectDir = newProject()): Promise<ServedProject> {
  const child: ChildProcess = spawn(process.execPath, [bin, 'serve', projectDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`graft serve printed no URL: ${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`graft serve exited (${code}): ${output}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token')!,
    projectDir,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      }),
  };
}
