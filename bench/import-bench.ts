/**
 * Import + thumbnail throughput on N generated 1024×768 JPEGs, against vipsthumbnail making
 * the same 256-px thumbnails from the same files in the same run (xargs -P = CPU count).
 * Prints figures; passes or fails nothing.
 *
 *   npx tsx bench/import-bench.ts [N=2000] [--concurrency C]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importFolder } from '../src-main/core/library/import-folder';
import { makeBaseJpegs, makeProject, makeTempDir, writePhotoFolder } from '../src-main/core/library/library-fixtures';
import { DEFAULT_THUMBNAIL_SIZE, getThumbnail } from '../src-main/core/library/thumbnails';

function argValue(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<void> {
  const count = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 2000);
  const concurrency = argValue('--concurrency') ? Number(argValue('--concurrency')) : undefined;
  const cpus = os.availableParallelism();
  const tmp = makeTempDir('graft-import-bench-');
  try {
    const root = path.join(tmp.dir, 'photos');
    let started = performance.now();
    const bases = await makeBaseJpegs(40, 1024, 768);
    const files = writePhotoFolder(root, bases, count, 500);
    const meanKb = bases.reduce((a, b) => a + b.length, 0) / bases.length / 1024;
    console.log(`generated ${count} JPEGs 1024×768 (mean ${meanKb.toFixed(0)} KB) in ${((performance.now() - started) / 1000).toFixed(1)} s; ${cpus} CPUs`);
    // Warm the page cache once so every contender reads from memory alike.
    for (const file of files) fs.readFileSync(file);

    const rate = (ms: number) => (count / ms) * 1000;
    const row = (label: string, ms: number) => console.log(`  ${label.padEnd(44)} ${(ms / 1000).toFixed(2).padStart(7)} s  ${rate(ms).toFixed(1).padStart(7)} images/s`);

    const withThumbs = makeProject(tmp, 'with-thumbs');
    started = performance.now();
    const summary = await importFolder(withThumbs, root, { thumbnails: true, concurrency });
    const importThumbMs = performance.now() - started;
    withThumbs.dispose();
    if (summary.added !== count) throw new Error(`expected ${count} added, got ${summary.added} (${summary.skipped.length} skipped)`);

    const plain = makeProject(tmp, 'plain');
    started = performance.now();
    await importFolder(plain, root, { concurrency });
    const importMs = performance.now() - started;
    started = performance.now();
    const again = await importFolder(plain, root, { concurrency });
    const reimportMs = performance.now() - started;
    const ids = (plain.db.prepare('SELECT id FROM images').all() as { id: number }[]).map((r) => r.id);
    started = performance.now();
    await Promise.all(ids.map((id) => getThumbnail(plain, id, DEFAULT_THUMBNAIL_SIZE)));
    const lazyMs = performance.now() - started;
    plain.dispose();

    const vipsOut = path.join(tmp.dir, 'vips');
    fs.mkdirSync(vipsOut);
    const list = path.join(tmp.dir, 'files.txt');
    fs.writeFileSync(list, files.join('\0'));
    started = performance.now();
    const vips = spawnSync(
      'sh',
      ['-c', `xargs -0 -P${cpus} -n 50 vipsthumbnail -s ${DEFAULT_THUMBNAIL_SIZE} -o '${vipsOut}/%s.jpg[Q=80]' < '${list}'`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const vipsMs = performance.now() - started;
    const made = fs.readdirSync(vipsOut).length;
    if (vips.status !== 0 || made !== count) console.log(`vipsthumbnail: exit ${vips.status}, ${made} files; ${vips.stderr}`);

    console.log(`\n${count} photos, thumbnails ${DEFAULT_THUMBNAIL_SIZE} px JPEG q80, concurrency ${concurrency ?? 'default'}:`);
    row('graft import + thumbnails (one decode each)', importThumbMs);
    row('graft import (validating decode, no thumbs)', importMs);
    row('graft re-import, nothing changed', reimportMs);
    row('graft lazy getThumbnail for all (cold cache)', lazyMs);
    row(`vipsthumbnail, xargs -P${cpus}`, vipsMs);
    console.log(`\n  graft import+thumbnails vs vipsthumbnail: ${(vipsMs / importThumbMs).toFixed(2)}× its throughput` +
      ` (graft ${rate(importThumbMs).toFixed(1)} vs vips ${rate(vipsMs).toFixed(1)} images/s)`);
    console.log(`  graft thumbnails alone vs vipsthumbnail:  ${(vipsMs / lazyMs).toFixed(2)}×`);
    console.log(`  re-import: ${again.unchanged} unchanged`);
  } finally {
    tmp.cleanup();
  }
}

await main();
