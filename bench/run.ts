/**
 * `npm run bench`: lists the benchmarks in bench/ and runs them, each in its own Node process
 * with tsx. Without arguments it runs every bench that has a quick form, at small sizes; with a
 * name it runs that one. Benchmarks print figures; nothing here passes or fails them.
 *
 *   npm run bench                          list, then run the quick ones at small sizes
 *   npm run bench -- --list                list only
 *   npm run bench -- NAME [ARGS…]          run one: with ARGS as given, else its quick sizes
 *   npm run bench -- NAME --full           run one at its own (full) sizes
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchTable, listBenches, type Bench } from './bench-catalog';
import { loadAverage } from './load-average';

const HERE = path.dirname(fileURLToPath(import.meta.url));

const HELP = `Usage:
  npm run bench                      list the benchmarks, then run every one with a quick form at small sizes
  npm run bench -- --list            list them only
  npm run bench -- NAME [ARGS...]    run one; ARGS go to it (none: its quick sizes, where it has them)
  npm run bench -- NAME --full       run one at its own full sizes (minutes to hours on two cores)

Figures from a machine others are using are noisy: the load average is printed before each bench
(above ~0.5 per core, other work was competing).
Some compare against tools Debian packages (apt-get install -y libvips-tools python3-torch
python3-torchvision python3-sklearn); without them they say the reference is missing.`;

/** Runs one bench in a child Node process with tsx; resolves with its exit code (or signal). */
function runBench(bench: Bench, args: readonly string[]): Promise<{ code: number | null; seconds: number }> {
  const started = performance.now();
  console.log(`\n=== ${bench.name}: npx tsx bench/${path.basename(bench.file)}${args.length ? ' ' + args.join(' ') : ''}   (load ${loadAverage()})`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', bench.file, ...args], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code: signal ? null : code, seconds: (performance.now() - started) / 1000 }));
  });
}

function printList(benches: readonly Bench[]): void {
  console.log('Benchmarks in bench/ (figures, not pass/fail):\n');
  console.log(benchTable(benches));
}

async function main(argv: readonly string[]): Promise<number> {
  const benches = listBenches(HERE);
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h') {
    console.log(HELP);
    return 0;
  }
  if (first === '--list') {
    printList(benches);
    return 0;
  }
  if (first !== undefined) {
    const bench = benches.find((b) => b.name === first || path.basename(b.file) === first || b.name === first.replace(/-bench(\.ts)?$/, ''));
    if (!bench) {
      console.error(`No benchmark named "${first}". These are: ${benches.map((b) => b.name).join(', ')} (npm run bench -- --list describes them).`);
      return 2;
    }
    const args = rest.length === 1 && rest[0] === '--full' ? [] : rest.length > 0 ? rest : (bench.quick ?? []);
    const { code } = await runBench(bench, args);
    return code ?? 1;
  }

  printList(benches);
  const quick = benches.filter((b) => b.quick !== null);
  console.log(`\nRunning the ${quick.length} quick ones at small sizes; npm run bench -- --help for more.`);
  const results: { bench: Bench; code: number | null; seconds: number }[] = [];
  let interrupted = false;
  process.on('SIGINT', () => {
    // The running bench gets the same Ctrl+C; the ones after it are not started.
    interrupted = true;
  });
  for (const bench of quick) {
    if (interrupted) break;
    results.push({ bench, ...(await runBench(bench, bench.quick!)) });
  }
  console.log('\n=== Summary');
  for (const r of results) {
    const status = r.code === 0 ? 'ran' : r.code === null ? 'stopped by a signal' : `FAILED (exit code ${r.code})`;
    console.log(`  ${r.bench.name.padEnd(14)} ${status}, ${r.seconds.toFixed(0)} s`);
  }
  if (interrupted) console.log('  (interrupted: the rest were not run)');
  return results.every((r) => r.code === 0) && !interrupted ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
