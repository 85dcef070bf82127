/**
 * The `import` and `labels` CLI verbs, driven through runCli with captured output. They live
 * here with the library they front (the CLI folder's own tests cover the framework).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliCommand } from '../../cli/command';
import { importCommand } from '../../cli/commands/import';
import { labelsCommand } from '../../cli/commands/labels';
import { runCli } from '../../cli/run-cli';
import { openProject } from '../project/project';
import { makeImage, makePhotoFolder, makeProject, makeTempDir, type PhotoFixture, type TempDir } from './library-fixtures';

const COMMANDS: readonly CliCommand[] = [importCommand, labelsCommand];

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

let tmp: TempDir;
let fx: PhotoFixture;
let projectDir: string;

beforeEach(async () => {
  tmp = makeTempDir();
  fx = await makePhotoFolder(tmp.dir);
  makeProject(tmp).dispose();
  projectDir = path.join(tmp.dir, 'project');
});

afterEach(() => tmp.cleanup());

describe('graft import', () => {
  it('prints the summary as JSON with added, unchanged, duplicates, skipped and classes', async () => {
    const { io, out, err } = capture();
    expect(await runCli(['import', projectDir, fx.root, '--label-depth', '1', '--json'], COMMANDS, io)).toBe(0);
    expect(err).toEqual([]);
    const summary = JSON.parse(out.join(''));
    // cat1 is also in dogs/small: a label conflict, kept unlabelled and counted in neither class.
    expect(summary).toMatchObject({ added: expect.any(Number), unchanged: 0, cancelled: false, classes: { cats: 3, dogs: 3 } });
    expect(summary.duplicates).toHaveLength(0);
    expect(summary.conflicts).toEqual([
      expect.objectContaining({
        path: path.join(fx.root, 'cats/indoor/cat1.jpg'),
        copies: [
          { path: path.join(fx.root, 'cats/indoor/cat1.jpg'), className: 'cats' },
          { path: path.join(fx.root, fx.duplicate), className: 'dogs' },
        ],
        label: null,
      }),
    ]);
    expect(summary.skipped).toEqual(expect.arrayContaining([{ path: path.join(fx.root, 'bad/empty.jpg'), reason: 'empty file (0 bytes)' }]));

    const again = capture();
    expect(await runCli(['import', projectDir, fx.root, '--json'], COMMANDS, again.io)).toBe(0);
    expect(JSON.parse(again.out.join(''))).toMatchObject({ added: 0, unchanged: summary.added });
  });

  it('prints progress to stderr and a readable summary without --json', async () => {
    const { io, out, err } = capture();
    expect(await runCli(['import', projectDir, fx.root, '--labels-from-subfolders'], COMMANDS, io)).toBe(0);
    expect(err.some((line) => /^done \d+\/\d+ files/.test(line))).toBe(true);
    expect(out.join('\n')).toMatch(/Imported .* added, .* skipped\./);
    expect(out.join('\n')).toContain('Classes: ');
    expect(out.join('\n')).toContain('skipped ' + path.join(fx.root, 'bad/text.jpg'));
  });

  it('stops cleanly when cancelled and exits with 130', async () => {
    const controller = new AbortController();
    controller.abort();
    const { io, out } = capture();
    expect(await runCli(['import', projectDir, fx.root, '--json'], COMMANDS, io, controller.signal)).toBe(130);
    expect(JSON.parse(out.join(''))).toMatchObject({ cancelled: true, added: 0 });
  });

  it('fails with one line for bad arguments', async () => {
    for (const argv of [
      ['import', projectDir],
      ['import', projectDir, fx.root, '--label-depth', 'two'],
      ['import', path.join(tmp.dir, 'not-a-project'), fx.root],
      ['import', projectDir, path.join(tmp.dir, 'nope')],
    ]) {
      const { io, err } = capture();
      expect(await runCli(argv, COMMANDS, io), argv.join(' ')).not.toBe(0);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(/^graft: /);
    }
  });
});

describe('graft labels', () => {
  it('exports labels as CSV and ImageFolder, and imports a CSV into another project', async () => {
    await runCli(['import', projectDir, fx.root, '--labels-from-subfolders', '--json'], COMMANDS, capture().io);
    const csv = path.join(tmp.dir, 'labels.csv');
    const exported = capture();
    expect(
      await runCli(['labels', 'export', projectDir, '--csv', csv, '--imagefolder', path.join(tmp.dir, 'if'), '--link', '--json'], COMMANDS, exported.io),
    ).toBe(0);
    const report = JSON.parse(exported.out.join(''));
    // Unlabelled: top.jpg (no folder) and cat1.jpg (in two class folders, a conflict).
    expect(report.csv).toMatchObject({ rows: report.imagefolder.exported + 2, labelled: report.imagefolder.exported });
    expect(fs.existsSync(path.join(tmp.dir, 'if', 'indoor'))).toBe(true);

    const second = path.join(tmp.dir, 'second');
    makeProject(tmp, 'second').dispose();
    await runCli(['import', second, fx.root, '--json'], COMMANDS, capture().io);
    const imported = capture();
    expect(await runCli(['labels', 'import', second, '--csv', csv], COMMANDS, imported.io)).toBe(0);
    expect(imported.out.join('\n')).toMatch(/Read \d+ rows: \d+ matched/);
    const project = openProject(second);
    try {
      const count = (project.db.prepare('SELECT COUNT(*) AS n FROM labels').get() as { n: number }).n;
      expect(count).toBe(report.csv.labelled);
    } finally {
      project.dispose();
    }
  });

  it('explains what it needs when the action or file is missing', async () => {
    fs.writeFileSync(path.join(tmp.dir, 'x.png'), await makeImage('png', 1));
    for (const [argv, message] of [
      [['labels', 'frobnicate', projectDir], /use export or import/],
      [['labels', 'export', projectDir], /--csv FILE or --imagefolder DIR/],
      [['labels', 'import', projectDir], /pass --csv FILE/],
    ] as const) {
      const { io, err } = capture();
      expect(await runCli([...argv], COMMANDS, io)).toBe(2);
      expect(err[0]).toMatch(message);
    }
  });
});
