import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../core/library/library-fixtures';

const main = path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.ts');
const tmp = makeTempDir('graft-cli-main-');
afterAll(() => tmp.cleanup());

/** Runs the CLI entry with stdout on a pipe whose reader starts reading only after `delayMs`. */
function runWithLateReader(args: string[], delayMs: number): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    child.stdout.pause();
    setTimeout(() => {
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.stdout.resume();
    }, delayMs);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(chunks).toString('utf8') }));
  });
}

describe('graft entry point', () => {
  it('writes a large --json result whole to a pipe read late, then exits with the command\'s code', async () => {
    const project = path.join(tmp.dir, 'project');
    const photos = path.join(tmp.dir, 'not-photos');
    fs.mkdirSync(photos);
    // 8,000 files that are not images: the import lists each as skipped, about 1 MB of JSON.
    for (let i = 0; i < 8000; i++) fs.writeFileSync(path.join(photos, `a-file-with-a-rather-long-name-to-make-the-output-big-${i}.txt`), 'x');
    const init = await runWithLateReader(['init', project], 0);
    expect(init.code).toBe(0);
    const result = await runWithLateReader(['import', project, photos, '--json'], 1000);
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBeGreaterThan(1_000_000);
    const summary = JSON.parse(result.stdout) as { skipped: unknown[] };
    expect(summary.skipped).toHaveLength(8000);
  }, 120_000);
});
