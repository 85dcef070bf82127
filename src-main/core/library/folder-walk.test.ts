import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { walkFolder, type WalkEntry } from './folder-walk';
import { makeTempDir, type TempDir } from './library-fixtures';

let tmp: TempDir;

beforeEach(() => {
  tmp = makeTempDir();
  for (const rel of ['b.jpg', 'a.jpg', 'sub/z.jpg', 'sub/deeper/y.jpg', 'skipme/x.jpg', 'other/w.jpg']) {
    fs.mkdirSync(path.dirname(path.join(tmp.dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(tmp.dir, rel), 'x');
  }
  fs.symlinkSync(path.join(tmp.dir, 'sub'), path.join(tmp.dir, 'other', 'link-to-sub'));
  fs.symlinkSync('missing-target', path.join(tmp.dir, 'broken.jpg'));
});

afterEach(() => tmp.cleanup());

async function collect(options: Parameters<typeof walkFolder>[1] = {}): Promise<WalkEntry[]> {
  const entries: WalkEntry[] = [];
  for await (const entry of walkFolder(tmp.dir, options)) entries.push(entry);
  return entries;
}

describe('walkFolder', () => {
  it('walks depth-first in name order with folder names, walking each folder once', async () => {
    const entries = await collect({ exclude: [path.join(tmp.dir, 'skipme')] });
    const rel = (p: string) => path.relative(tmp.dir, p);
    expect(entries.map((e) => (e.kind === 'file' ? [rel(e.path), e.dirs.join('/')] : [rel(e.path), e.reason]))).toEqual([
      ['a.jpg', ''],
      ['b.jpg', ''],
      ['broken.jpg', 'file disappeared or is a broken symlink'],
      ['skipme', 'is the Graft project folder (its thumbnails are not photos)'],
      // Folders are claimed when their parent is listed, so the real sub/ wins over the link to it.
      ['other/link-to-sub', 'symlink loop (this folder was already walked through another path)'],
      ['other/w.jpg', 'other'],
      ['sub/z.jpg', 'sub'],
      ['sub/deeper/y.jpg', 'sub/deeper'],
    ]);
  });

  it('stops when the signal is aborted', async () => {
    const controller = new AbortController();
    const entries: WalkEntry[] = [];
    for await (const entry of walkFolder(tmp.dir, { signal: controller.signal })) {
      entries.push(entry);
      controller.abort();
    }
    expect(entries.length).toBeLessThan(4);
  });

  it("with linksOutside 'skip', follows links inside the root and passes over links out of it, naming the target", async () => {
    const outside = makeTempDir();
    try {
      fs.writeFileSync(path.join(outside.dir, 'secret.jpg'), 'x');
      fs.symlinkSync(outside.dir, path.join(tmp.dir, 'away'));
      fs.symlinkSync(path.join(outside.dir, 'secret.jpg'), path.join(tmp.dir, 'secret-link.jpg'));
      fs.symlinkSync(path.join(tmp.dir, 'a.jpg'), path.join(tmp.dir, 'sub', 'a-again.jpg'));
      const rel = (p: string) => path.relative(tmp.dir, p);
      const kept = await collect({ linksOutside: 'skip' });
      const files = kept.filter((e) => e.kind === 'file').map((e) => rel(e.path));
      expect(files).toContain('sub/a-again.jpg');
      expect(files.some((f) => f.includes('secret'))).toBe(false);
      const real = fs.realpathSync(outside.dir);
      expect(kept.filter((e) => e.kind === 'skip' && e.reason.includes('outside')).map((e) => [rel(e.path), e.kind === 'skip' ? e.reason : ''])).toEqual([
        ['away', `a link to ${real}, outside the imported folder (not followed)`],
        ['secret-link.jpg', `a link to ${path.join(real, 'secret.jpg')}, outside the imported folder (not followed)`],
      ]);
      // By default links are followed, as a file manager would.
      const followed = (await collect()).filter((e) => e.kind === 'file').map((e) => rel(e.path));
      expect(followed).toEqual(expect.arrayContaining(['away/secret.jpg', 'secret-link.jpg']));
    } finally {
      outside.cleanup();
    }
  });
});
