/**
 * Import + thumbnail throughput on N generated 1024×768 JPEGs, against vipsthumbnail making
 * the same 256-px thumbnails from the same files in the same run (xargs -P = CPU count).
 * Rounds alternate the two so a busy shared machine slows both alike; best and median are
 * printed. Prints figures; passes or fails nothing.
 *
 *   npx tsx bench/import-bench.ts [N=2000] [--rounds R=3] [--concurrency C] [--folder DIR] [--import-only]
 *
 * The reference needs `vipsthumbnail`, from Debian's libvips-tools (`apt-get install -y libvips-tools`);
 * without it the import figures print and the ratio says the reference is missing.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importFolder } from '../src-main/core/library/import-folder';
import { makeBaseJpegs, makeProject, makeTempDir, writePhotoFolder } from '../src-main/core/library/library-fixtures';
import { DEFAULT_THUMBNAIL_SIZE, getThumbnail } from '../src-main/core/library/thumbnails';
import { loadAverage } from './load-average';

const USAGE = `Usage: npx tsx bench/import-bench.ts [N=2000] [--rounds R=3] [--concurrency C] [--folder DIR] [--import-only]

  N               photos to generate (1024×768 JPEGs)
  --rounds R      rounds of graft import + thumbnails and vipsthumbnail, alternating (best and median printed)
  --concurrency C photos the import decodes at once (default: the import's own)
  --folder DIR    keep the generated photos in DIR and reuse them on the next run (same files before and after a change)
  --import-only   skip plain import, re-import and lazy thumbnails (only the comparison with vipsthumbnail)

The reference is vipsthumbnail from libvips; on Debian or Ubuntu: apt-get install -y libvips-tools`;

function argValue(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** The reference tool, or null with why it cannot run. */
function findVipsthumbnail(): { ok: true } | { ok: false; why: string } {
  const probe = spawnSync('vipsthumbnail', ['--vips-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    return { ok: false, why: 'vipsthumbnail is not installed (Debian/Ubuntu: apt-get install -y libvips-tools)' };
  }
  return { ok: true };
}

/** The children's user + system seconds from the last line `times` printed ("0m1.234s 0m0.120s"). */
function childCpuSeconds(timesOutput: string): number {
  const line = timesOutput.trim().split('\n').at(-1) ?? '';
  const seconds = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return seconds.length === 2 ? seconds[0]! + seconds[1]! : Number.NaN;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The photos: generated into `folder` (or a temporary one), reused when already there. */
async function photoFolder(folder: string, count: number): Promise<string[]> {
  const listed = fs.existsSync(folder)
    ? fs.readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.jpg')).map((f) => path.join(folder, f)).sort()
    : [];
  if (listed.length === count) {
    console.log(`using ${count} JPEGs already in ${folder}`);
    return listed;
  }
  fs.rmSync(folder, { recursive: true, force: true });
  const started = performance.now();
  const bases = await makeBaseJpegs(40, 1024, 768);
  const files = writePhotoFolder(folder, bases, count, 500);
  const meanKb = bases.reduce((a, b) => a + b.length, 0) / bases.length / 1024;
  console.log(`generated ${count} JPEGs 1024×768 (mean ${meanKb.toFixed(0)} KB) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return files;
}

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const count = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 2000);
  const rounds = Number(argValue('--rounds') ?? 3);
  const concurrency = argValue('--concurrency') ? Number(argValue('--concurrency')) : undefined;
  const cpus = os.availableParallelism();
  const vipsTool = findVipsthumbnail();
  const tmp = makeTempDir('graft-import-bench-');
  try {
    const given = argValue('--folder');
    const root = given ? path.resolve(given) : path.join(tmp.dir, 'photos');
    const files = await photoFolder(root, count);
    console.log(`${cpus} CPUs; load average ${loadAverage()}`);
    // Warm the page cache once so every contender reads from memory alike.
    for (const file of files) fs.readFileSync(file);

    const rate = (ms: number) => (count / ms) * 1000;
    const row = (label: string, ms: number) => console.log(`  ${label.padEnd(48)} ${(ms / 1000).toFixed(2).padStart(7)} s  ${rate(ms).toFixed(1).padStart(7)} images/s`);

    const importTimes: number[] = [];
    const vipsTimes: number[] = [];
    // CPU seconds (user + system, every thread) per round: far less disturbed by other work than wall time.
    const importCpu: number[] = [];
    const vipsCpu: number[] = [];
    const list = path.join(tmp.dir, 'files.txt');
    fs.writeFileSync(list, files.join('\0'));
    for (let round = 0; round < rounds; round++) {
      const project = makeProject(tmp, `with-thumbs-${round}`);
      let started = performance.now();
      const cpuBefore = process.cpuUsage();
      const summary = await importFolder(project, root, { thumbnails: true, concurrency });
      importTimes.push(performance.now() - started);
      const cpu = process.cpuUsage(cpuBefore);
      importCpu.push((cpu.user + cpu.system) / 1e6);
      project.dispose();
      if (summary.added !== count) throw new Error(`expected ${count} added, got ${summary.added} (${summary.skipped.length} skipped)`);
      fs.rmSync(path.join(tmp.dir, `with-thumbs-${round}`), { recursive: true, force: true });

      if (!vipsTool.ok) continue;
      const vipsOut = path.join(tmp.dir, `vips-${round}`);
      fs.mkdirSync(vipsOut);
      started = performance.now();
      const vips = spawnSync(
        'sh',
        // `times` prints the shell's CPU times, then its children's (xargs and every vipsthumbnail).
        ['-c', `xargs -0 -P${cpus} -n 50 vipsthumbnail -s ${DEFAULT_THUMBNAIL_SIZE} -o '${vipsOut}/%s.jpg[Q=80]' < '${list}'; times`],
        { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
      );
      vipsTimes.push(performance.now() - started);
      vipsCpu.push(childCpuSeconds(vips.stdout));
      const made = fs.readdirSync(vipsOut).length;
      if (vips.status !== 0 || made !== count) console.log(`vipsthumbnail: exit ${vips.status}, ${made} files; ${vips.stderr}`);
      fs.rmSync(vipsOut, { recursive: true, force: true });
    }

    console.log(`\n${count} photos, thumbnails ${DEFAULT_THUMBNAIL_SIZE} px JPEG q80, concurrency ${concurrency ?? 'default'}, ${rounds} rounds:`);
    row('graft import + thumbnails, best', Math.min(...importTimes));
    row('graft import + thumbnails, median', median(importTimes));
    if (vipsTool.ok) {
      row(`vipsthumbnail, xargs -P${cpus}, best`, Math.min(...vipsTimes));
      row(`vipsthumbnail, xargs -P${cpus}, median`, median(vipsTimes));
    }
    const perImage = (seconds: readonly number[]) => `${((Math.min(...seconds) / count) * 1000).toFixed(2)} ms best, ${((median(seconds) / count) * 1000).toFixed(2)} ms median`;
    console.log(`  CPU per image: graft import + thumbnails ${perImage(importCpu)}` + (vipsTool.ok ? `; vipsthumbnail ${perImage(vipsCpu)}` : ''));

    if (!process.argv.includes('--import-only')) {
      const plain = makeProject(tmp, 'plain');
      let started = performance.now();
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
      row('graft import (validating decode, no thumbs)', importMs);
      row('graft re-import, nothing changed', reimportMs);
      row('graft lazy getThumbnail for all (cold cache)', lazyMs);
      console.log(`  re-import: ${again.unchanged} unchanged`);
    }

    console.log('');
    if (!vipsTool.ok) {
      console.log(`  graft import+thumbnails vs vipsthumbnail: reference missing — ${vipsTool.why}`);
    } else {
      const ratio = (vips: number, graft: number) => `${(vips / graft).toFixed(2)}×`;
      console.log(
        `  graft import+thumbnails vs vipsthumbnail: best ${ratio(Math.min(...vipsTimes), Math.min(...importTimes))}, ` +
          `median ${ratio(median(vipsTimes), median(importTimes))} its throughput ` +
          `(best: graft ${rate(Math.min(...importTimes)).toFixed(1)} vs vips ${rate(Math.min(...vipsTimes)).toFixed(1)} images/s)`,
      );
      // Each round's pair ran back to back: their ratio is the least disturbed by the machine's other work.
      const paired = importTimes.map((ms, i) => vipsTimes[i]! / ms);
      console.log(`  per-round ratios: ${paired.map((r) => `${r.toFixed(2)}×`).join(' ')} (median ${median(paired).toFixed(2)}×)`);
      console.log(`  by CPU time per image (what 2 idle cores would give): ${ratio(median(vipsCpu), median(importCpu))} (medians)`);
    }
    console.log(`  load average after: ${loadAverage()}`);
  } finally {
    tmp.cleanup();
  }
}

await main();
