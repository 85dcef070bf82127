import type { RunSummary } from '../../api/types/runs';
import type { EngineSpawner } from '../../engine/host/engine-process';
import { openAppClient } from '../app-client';
import { nodeEngineSpawner } from '../app-paths';
import { printResult, type CliCommand } from '../command';
import { requirePositional } from '../run-cli';
import { fixed3, textTable } from '../text-table';

const USAGE = 'runs <project-dir> [--json]';

/** Makes `graft runs`; `spawner` would start the engine, which listing runs never needs. */
export function createRunsCommand(spawner: () => EngineSpawner = () => nodeEngineSpawner()): CliCommand {
  return {
    name: 'runs',
    summary: 'List the project\'s training runs, newest first: status, base, epochs, best validation and test accuracy.',
    usage: USAGE,
    details: ['--json prints every run as the app sees it (config aside: graft evaluate and the app show one run in full).'],
    options: {},
    async run({ positionals, json, io }) {
      const dir = requirePositional(positionals, 0, 'the project folder', USAGE);
      const client = openAppClient({ spawner: spawner(), projectDir: dir, io, lazyEngine: true });
      try {
        const runs = await client.call('runs.list');
        printResult(io, json, runs, () => runsTable(runs));
        return 0;
      } finally {
        await client.dispose();
      }
    },
  };
}

/** `graft runs`. */
export const runsCommand: CliCommand = createRunsCommand();

/** The runs as a table, or a hint when there are none. */
export function runsTable(runs: readonly RunSummary[]): string {
  if (runs.length === 0) return 'No runs yet. Start one with: graft train <project-dir> --base mobilenet_v2';
  return textTable(
    ['id', 'name', 'status', 'arch', 'epochs', 'best val acc', 'test acc', 'created'],
    runs.map((r) => [String(r.id), r.name, r.status, r.arch, String(r.epochs), fixed3(r.best?.valAcc), fixed3(r.testAcc), localTime(r.createdAt)]),
    ['right', 'left', 'left', 'left'],
  );
}

/** An ISO time as local `YYYY-MM-DD HH:MM`. */
function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}
