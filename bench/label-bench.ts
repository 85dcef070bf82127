/**
 * Label throughput at library scale: a 100,000-image project, then a bulk label of 10,000
 * images timed until a second database connection sees it committed, plus undo/redo and the
 * grid queries the UI runs. Prints figures; passes or fails nothing.
 *
 *   npx tsx bench/label-bench.ts [images=100000] [bulk=10000]
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { createClass } from '../src-main/core/library/classes';
import { listImages, libraryCounts } from '../src-main/core/library/image-query';
import { redo, undo } from '../src-main/core/library/label-journal';
import { assignLabel } from '../src-main/core/library/labels';
import { makeProject, makeTempDir, seedImageRows } from '../src-main/core/library/library-fixtures';
import { assignSplits } from '../src-main/core/library/splits';

function time<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

function main(): void {
  const total = Number(process.argv[2] ?? 100_000);
  const bulk = Number(process.argv[3] ?? 10_000);
  const tmp = makeTempDir('graft-label-bench-');
  const project = makeProject(tmp);
  try {
    const seeded = time(() => seedImageRows(project, total, 'photo'));
    const ids = seeded.value;
    console.log(`seeded ${total} image rows in ${seeded.ms.toFixed(0)} ms`);
    const cat = createClass(project, 'cat').classId;
    const dog = createClass(project, 'dog').classId;
    assignLabel(project, ids.filter((_, i) => i % 3 === 0), dog);

    // Another connection, as another process or a restarted app would read.
    const reader = new Database(path.join(project.layout.dir, 'graft.db'), { readonly: true });
    const visible = reader.prepare('SELECT COUNT(*) AS n FROM labels WHERE class_id = ?');
    // A contiguous slice straddling labelled and unlabelled images, like a shift-click range.
    const targets = ids.slice(1000, 1000 + bulk);
    const start = performance.now();
    const result = assignLabel(project, targets, cat);
    const committed = performance.now() - start;
    const seen = (visible.get(cat) as { n: number }).n;
    const visibleMs = performance.now() - start;
    const page = time(() => listImages(project, { classId: cat, limit: 200 }));
    console.log(`\nbulk label of ${bulk} images (${result.changed} changed, journaled for undo):`);
    console.log(`  committed in            ${committed.toFixed(1)} ms`);
    console.log(`  visible to a 2nd reader ${visibleMs.toFixed(1)} ms after the call (${seen} rows)`);
    console.log(`  first grid page (200)   ${page.ms.toFixed(1)} ms, total ${page.value.total}`);
    console.log(`  throughput              ${((bulk / visibleMs) * 1000).toFixed(0)} labels/s`);
    const undone = time(() => undo(project));
    const redone = time(() => redo(project));
    console.log(`  undo ${undone.ms.toFixed(1)} ms (${undone.value?.imagesChanged} images), redo ${redone.ms.toFixed(1)} ms`);
    reader.close();

    assignSplits(project, undefined, 1);
    console.log(`\ngrid queries over ${total} images (page of 200, ms; first page / page at offset ${Math.floor(total / 2)}):`);
    const queries: [string, Parameters<typeof listImages>[1]][] = [
      ['all, by path', {}],
      ['all, by name', { orderBy: 'name' }],
      ['class "cat"', { classId: cat }],
      ['class "dog"', { classId: dog }],
      ['unlabelled', { unlabelled: true }],
      ['split train', { split: 'train' }],
      ['name contains "12"', { nameContains: '12' }],
    ];
    for (const [label, query] of queries) {
      const first = time(() => listImages(project, { ...query, limit: 200 }));
      const middle = time(() => listImages(project, { ...query, limit: 200, offset: Math.min(Math.floor(total / 2), Math.max(0, first.value.total - 200)) }));
      console.log(`  ${label.padEnd(22)} ${first.ms.toFixed(1).padStart(6)} / ${middle.ms.toFixed(1).padStart(6)}   (${first.value.total} match)`);
    }
    const counts = time(() => libraryCounts(project));
    console.log(`  library counts         ${counts.ms.toFixed(1).padStart(6)}`);
  } finally {
    project.dispose();
    tmp.cleanup();
  }
}

main();
