import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkSpawner, type EngineSpawner } from '../engine/host/engine-process';

/** The package root: the nearest folder above this module with Graft's package.json. */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = path.dirname(from);
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'graft') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('Cannot find the Graft package folder.');
    dir = parent;
  }
}

/** True when running the TypeScript sources (tests, tsx) rather than the build in out/. */
function runningFromSource(): boolean {
  return import.meta.url.endsWith('.ts');
}

/** The built renderer folder served by `graft serve`. */
export function rendererDir(): string {
  return path.join(packageRoot(), 'out', 'renderer');
}

/** Starts engine processes under plain Node: the built entry, or the TypeScript one through tsx. */
export function nodeEngineSpawner(env: NodeJS.ProcessEnv = process.env): EngineSpawner {
  const root = packageRoot();
  if (runningFromSource()) {
    return forkSpawner(path.join(root, 'src-main', 'engine', 'worker', 'engine-main.ts'), { execArgv: ['--import', 'tsx'], env });
  }
  return forkSpawner(path.join(root, 'out', 'main', 'engine.js'), { env });
}
