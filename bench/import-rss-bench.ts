/**
 * Peak memory importing a large library: N (default 100,000) small JPEGs in folders of 1,000,
 * imported with folder labels. Files are written from a few tiny distinct JPEGs with a unique
 * tail each (see writePhotoFolder in library-fixtures.ts), so all N are real, distinct, decodable imports.
 * Reports peak RSS (getrusage) and throughput. Prints figures; passes or fails nothing.
 *
 *   npx tsx bench/import-rss-bench.ts [N=100000] [--thumbnails]
 */
import path from 'node:path';
import { importFolder } from '../src-main/core/library/import-folder';
import { makeBaseJpegs, makeProject, makeTempDir, writePhotoFolder } from '../src-main/core/library/library-fixtures';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  const count = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 100_000);
  const thumbnails = process.argv.includes('--thumbnails');
  const tmp = makeTempDir('graft-rss-bench-');
  try {
    const root = path.join(tmp.dir, 'photos');
    let started = performance.now();
    const bases = await makeBaseJpegs(8, 160, 120);
    writePhotoFolder(root, bases, count, 1000);
    console.log(`wrote ${count} JPEGs 160×120 (~${(bases[0]!.length / 1024).toFixed(1)} KB) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const project = makeProject(tmp);
    global.gc?.();
    const before = process.memoryUsage().rss;
    const beforePeak = process.resourceUsage().maxRSS * 1024;
    let sampledPeak = 0;
    let heapPeak = 0;
    const sampler = setInterval(() => {
      const usage = process.memoryUsage();
      sampledPeak = Math.max(sampledPeak, usage.rss);
      heapPeak = Math.max(heapPeak, usage.heapUsed);
    }, 100);
    let lastLog = 0;
    started = performance.now();
    const summary = await importFolder(project, root, { labelsFromSubfolders: true, thumbnails }, {
      onProgress: (p) => {
        if (performance.now() - lastLog < 10_000 && p.phase !== 'done') return;
        lastLog = performance.now();
        console.log(`  ${p.phase} ${p.done}/${p.total}  ${p.imagesPerSecond.toFixed(0)}/s  rss ${mb(process.memoryUsage().rss)}`);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const peak = process.resourceUsage().maxRSS * 1024;
    project.dispose();
    console.log(`\nimported ${summary.added} of ${count} (${summary.skipped.length} skipped, ${summary.duplicates.length} duplicates, ` +
      `${Object.keys(summary.classes).length} classes) in ${seconds.toFixed(1)} s = ${(count / seconds).toFixed(0)} images/s` +
      `${thumbnails ? ' with thumbnails' : ''}`);
    console.log(`  RSS before import      ${mb(before)} (peak so far ${mb(beforePeak)})`);
    console.log(`  peak RSS (getrusage)   ${mb(peak)}`);
    console.log(`  peak RSS (sampled)     ${mb(sampledPeak)}; peak JS heap ${mb(heapPeak)}`);
  } finally {
    tmp.cleanup();
  }
}

await main();
