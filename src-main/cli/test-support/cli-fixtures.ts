import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkSpawner, type EngineSpawner } from '../../engine/host/engine-process';
import type { CliIo } from '../command';
import { importCommand } from '../commands/import';
import { initCommand } from '../commands/init';
import { writeDemoImages } from '../demo/demo-images';
import { runCli } from '../run-cli';

const engineEntry = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'engine', 'worker', 'engine-main.ts');

/** A CliIo that keeps what a command printed. */
export function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

/** Starts the real engine from source on `backend` (unset: the engine's own choice), counting spawns. */
export function countingSpawner(backend?: 'cpu' | 'wasm'): { spawner: () => EngineSpawner; spawns: () => number } {
  let spawns = 0;
  const env = backend ? { ...process.env, GRAFT_BACKEND: backend } : process.env;
  return {
    spawns: () => spawns,
    spawner: () => () => {
      spawns++;
      return forkSpawner(engineEntry, { execArgv: ['--import', 'tsx'], env })();
    },
  };
}

/** A new empty folder under the OS temp folder, removed by `cleanup`. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Makes a project in `dir/project` with the demo's generated photos imported and labelled by folder (no splits yet). */
export async function labelledProject(dir: string, options: { classes: number; perClass: number; size: number }): Promise<string> {
  const photos = path.join(dir, 'photos');
  const project = path.join(dir, 'project');
  await writeDemoImages(photos, options);
  const io = capture();
  if ((await runCli(['init', project], [initCommand], io)) !== 0) throw new Error(io.stderr.join('\n'));
  if ((await runCli(['import', project, photos, '--labels-from-subfolders', '--concurrency', '1'], [importCommand], io)) !== 0) throw new Error(io.stderr.join('\n'));
  return project;
}
