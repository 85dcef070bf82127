import { GraftError } from '../../api/errors';
import { importFolder } from '../../core/library/import-folder';
import type { ImportProgress, ImportSummary } from '../../api/types/import';
import { openProject } from '../../core/project/project';
import { printResult, type CliCommand, type CliValues, CANCELLED_EXIT_CODE } from '../command';
import { withProgress } from '../progress-printer';
import { requirePositional } from '../run-cli';


/** Skipped files listed in the human summary before it says "and N more". */
const LISTED_ISSUES = 20;

/** `graft import <project-dir> <folder>`: imports a folder of photos into a project. */
export const importCommand: CliCommand = {
  name: 'import',
  summary: 'Import a folder of photos (recursively) into a project; a re-import adds only new or changed files.',
  usage: 'import <project-dir> <folder> [--labels-from-subfolders] [--label-depth N] [--thumbnails] [--svg] [--concurrency N] [--wait] [--json]',
  details: [
    'Photos stay where they are; the project keeps their paths.',
    'Ctrl+C stops after the photos in flight; everything imported so far is kept.',
  ],
  options: {
    'labels-from-subfolders': { type: 'boolean', description: "name classes after each photo's folder and label the photos" },
    'label-depth': {
      type: 'string',
      value: 'N',
      description: 'take the class from the folder N levels below <folder>, 1 = its subfolders (implies --labels-from-subfolders)',
      defaultText: "each photo's own folder",
    },
    thumbnails: { type: 'boolean', description: 'make grid thumbnails while importing (otherwise on first view)' },
    svg: { type: 'boolean', description: 'import SVG files too' },
    concurrency: { type: 'string', value: 'N', description: 'photos decoded at once', defaultText: 'twice the CPU count, at most 8' },
    wait: {
      type: 'boolean',
      description: 'if another import is running on the project (any process), wait for it instead of stopping with "an import is already running"',
    },
  },
  async run({ positionals, values, json, io, signal }) {
    const projectDir = requirePositional(positionals, 0, 'the project folder', this.usage);
    const folder = requirePositional(positionals, 1, 'the folder to import', this.usage);
    const options = {
      labelsFromSubfolders: values['labels-from-subfolders'] === true,
      labelDepth: wholeNumber(values, 'label-depth'),
      thumbnails: values.thumbnails === true,
      allowSvg: values.svg === true,
      concurrency: wholeNumber(values, 'concurrency'),
    };
    const project = openProject(projectDir);
    try {
      const waitForLock = values.wait === true
        ? (holder: { pid: number }) => io.err(`graft: waiting for the import already running on this project (pid ${holder.pid})…`)
        : undefined;
      const summary = await withProgress(io, json, importProgressLine, (onProgress) =>
        importFolder(project, folder, options, { signal, onProgress, waitForLock }),
      );
      printResult(io, json, summary, () => describe(summary));
      return summary.cancelled ? CANCELLED_EXIT_CODE : 0;
    } finally {
      project.dispose();
    }
  },
};

/** Reads an optional whole-number option, failing with its name. */
function wholeNumber(values: CliValues, name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) throw new GraftError('bad-request', `--${name} takes a whole number.`);
  return Number(raw);
}

/** One stderr line of import progress. */
function importProgressLine(progress: ImportProgress): string {
  if (progress.phase === 'scanning') return `scanning… ${progress.total} files found so far`;
  const eta = progress.phase === 'importing' && progress.etaSeconds !== null ? `, about ${Math.ceil(progress.etaSeconds)} s left` : '';
  return `${progress.phase} ${progress.done}/${progress.total} files (${progress.imagesPerSecond.toFixed(1)}/s${eta})`;
}

function describe(summary: ImportSummary): string {
  const lines = [
    `${summary.cancelled ? 'Cancelled' : 'Imported'} ${summary.folder} in ${summary.seconds.toFixed(1)} s: ` +
      `${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.relinked} relinked, ` +
      `${summary.missing} newly missing, ${summary.duplicates.length} duplicates, ${summary.skipped.length} skipped.`,
  ];
  const classes = Object.entries(summary.classes);
  if (classes.length > 0) lines.push(`Classes: ${classes.map(([name, n]) => `${name} (${n})`).join(', ')}`);
  const issues = [
    ...summary.skipped.map((s) => `  skipped ${s.path}: ${s.reason}`),
    ...summary.duplicates.map((d) => `  duplicate ${d.path} (same bytes as ${d.duplicateOf})`),
  ];
  lines.push(...issues.slice(0, LISTED_ISSUES));
  if (issues.length > LISTED_ISSUES) lines.push(`  … and ${issues.length - LISTED_ISSUES} more (use --json for the full list)`);
  return lines.join('\n');
}
