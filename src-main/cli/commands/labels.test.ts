import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClass } from '../../core/library/classes';
import { assignLabel } from '../../core/library/labels';
import { makeProject, makeTempDir, seedImageRows, type TempDir } from '../../core/library/library-fixtures';
import type { CliIo } from '../command';
import { runCli } from '../run-cli';
import { labelsCommand } from './labels';

let tmp: TempDir;
let projectDir: string;

// Each test gets a project with 12 labelled photos whose files exist (a few bytes each).
beforeEach(() => {
  tmp = makeTempDir('graft-cli-labels-');
  const project = makeProject(tmp);
  projectDir = project.layout.dir;
  try {
    const photos = path.join(tmp.dir, 'photos');
    fs.mkdirSync(photos);
    const ids = seedImageRows(project, 12);
    project.db.prepare(`UPDATE images SET path = ? || '/' || file_name`).run(photos);
    for (const { path: file } of project.db.prepare('SELECT path FROM images').all() as { path: string }[]) fs.writeFileSync(file, file);
    assignLabel(project, ids, createClass(project, 'cat').classId);
  } finally {
    project.dispose();
  }
});

afterEach(() => tmp.cleanup());

function capture(onErr?: (line: string) => void): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => (stderr.push(t), onErr?.(t)) };
}

describe('graft labels export --imagefolder', () => {
  it('prints progress to stderr, then what it copied', async () => {
    const io = capture();
    const out = path.join(tmp.dir, 'out');
    expect(await runCli(['labels', 'export', projectDir, '--imagefolder', out], [labelsCommand], io)).toBe(0);
    expect(io.stderr[0]).toMatch(/^copying 0\/12 photos/);
    expect(io.stderr.at(-1)).toMatch(/^copying 12\/12 photos \(\d+(\.\d)?\/s\)$/);
    expect(io.stdout.join('\n')).toBe(`Copied 12 photos into ${out}; 0 left out.`);
    expect(fs.readdirSync(path.join(out, 'cat'))).toHaveLength(12);
  });

  it('prints no progress with --json', async () => {
    const io = capture();
    const out = path.join(tmp.dir, 'out');
    expect(await runCli(['labels', 'export', projectDir, '--imagefolder', out, '--link', '--json'], [labelsCommand], io)).toBe(0);
    expect(io.stderr).toEqual([]);
    expect(JSON.parse(io.stdout.join(''))).toEqual({ imagefolder: { dir: out, exported: 12, skipped: [], cancelled: false } });
  });

  it('stops on Ctrl+C with exit code 130 and says what stays', async () => {
    const controller = new AbortController();
    // Abort on the first progress line, which comes before any file is written.
    const io = capture(() => controller.abort());
    const out = path.join(tmp.dir, 'out');
    expect(await runCli(['labels', 'export', projectDir, '--imagefolder', out], [labelsCommand], io, controller.signal)).toBe(130);
    expect(io.stdout.join('\n')).toBe(`Cancelled before any photo was copied into ${out}.`);
    expect(fs.existsSync(out)).toBe(false);
  });
});
