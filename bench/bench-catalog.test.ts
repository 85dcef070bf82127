import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { benchTable, clip, firstSentence, leadingDocComment, listBenches, QUICK_ARGS, usageLine } from './bench-catalog';

const HERE = path.dirname(fileURLToPath(import.meta.url));

describe('the benchmark list of npm run bench', () => {
  it('reads a bench file\'s description and usage from its leading doc comment', () => {
    const source = ['/**', ' * Label throughput at library scale, e.g. 100,000 images. Prints figures.', ' *', ' *   npx tsx bench/label-bench.ts [images=100000]', ' */', 'import x from "y";'].join('\n');
    const comment = leadingDocComment(source)!;
    expect(firstSentence(comment)).toBe('Label throughput at library scale, e.g. 100,000 images.');
    expect(usageLine(comment)).toBe('npx tsx bench/label-bench.ts [images=100000]');
    expect(leadingDocComment('import x from "y";\n/** later */')).toBeNull();
  });

  it('finds every *-bench.ts in a folder, sorted, with the quick arguments it knows', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-bench-list-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dir, 'label-bench.ts'), '/** Label throughput. More. */\n');
    fs.writeFileSync(path.join(dir, 'zz-new-bench.ts'), 'console.log(1);\n');
    fs.writeFileSync(path.join(dir, 'load-average.ts'), '/** A helper, not a bench. */\n');
    const benches = listBenches(dir);
    expect(benches.map((b) => [b.name, b.description, b.quick])).toEqual([
      ['label', 'Label throughput.', [...QUICK_ARGS.label!]],
      ['zz-new', '(no description: the file has no leading doc comment)', null],
    ]);
    const table = benchTable(benches);
    expect(table).toContain('  label   Label throughput.\n          quick: 5000 500');
    expect(table).toContain('no quick run (npm run bench -- zz-new)');
  });

  it('describes every bench in bench/ in one line, and has quick sizes only for benches that exist', () => {
    const benches = listBenches(HERE);
    expect(benches.length).toBeGreaterThan(5);
    for (const bench of benches) {
      expect(bench.description, bench.file).not.toMatch(/^\(no description/);
      expect(bench.usage, `${bench.file} shows how to run it (npx tsx bench/…)`).toMatch(new RegExp(`^npx tsx bench/${bench.name}-bench\\.ts`));
    }
    for (const name of Object.keys(QUICK_ARGS)) expect(benches.map((b) => b.name)).toContain(name);
    for (const line of benchTable(benches).split('\n')) expect(line.length).toBeLessThanOrEqual(110);
  });

  it('clips a long description at a word, with an ellipsis', () => {
    expect(clip('short', 10)).toBe('short');
    expect(clip('one two three four', 12)).toBe('one two…');
  });
});
