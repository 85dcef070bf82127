import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from './app-paths';
import { tempDir } from './test-support/cli-fixtures';

const root = packageRoot();
const tmp = tempDir('graft-bin-');
afterAll(() => tmp.cleanup());

/** The `bin` entry of package.json, as npm links it. */
function binEntry(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
  return path.join(root, manifest.bin?.graft ?? 'missing');
}

describe('the graft command once installed (npm link / npm i -g .: a symlink to bin/graft.js)', () => {
  it('is declared in package.json as an executable Node script', () => {
    const bin = binEntry();
    expect(fs.readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(fs.statSync(bin).mode & 0o111).not.toBe(0);
  });

  it('runs through a symlink from another folder, finding its build by its own path', () => {
    // What npm link makes: {prefix}/bin/graft -> …/lib/node_modules/graft/bin/graft.js, run from anywhere.
    const linkDir = path.join(tmp.dir, 'prefix', 'bin');
    fs.mkdirSync(linkDir, { recursive: true });
    const link = path.join(linkDir, 'graft');
    fs.symlinkSync(binEntry(), link);
    const cwd = path.join(tmp.dir, 'elsewhere');
    fs.mkdirSync(cwd);
    const run = spawnSync(link, ['--help'], { cwd, encoding: 'utf8', timeout: 60_000 });
    const built = fs.existsSync(path.join(root, 'out', 'main', 'cli.js'));
    if (built) {
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^graft — turn a folder of photos into an image classifier/);
    } else {
      // Before `npm run build` the command says what to do instead of a module error.
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(`graft: Graft is not built yet. Run "npm run build" in ${root} first.\n`);
    }
  });
});
