import { GraftError } from '../../api/errors';
import { exportImageFolder, type ImageFolderProgress } from '../../core/library/image-folder-export';
import { exportLabelsCsv, importLabelsCsv } from '../../core/library/labels-csv';
import { openProject } from '../../core/project/project';
import { printResult, type CliCommand, CANCELLED_EXIT_CODE } from '../command';
import { withProgress } from '../progress-printer';
import { requirePositional } from '../run-cli';

/** Unknown paths listed in the human output of an import before "and N more". */
const LISTED_PATHS = 20;


/** `graft labels export|import <project-dir>`: labels out to CSV or ImageFolder, and in from CSV. */
export const labelsCommand: CliCommand = {
  name: 'labels',
  summary: 'Export labels (CSV or ImageFolder) or import them from a CSV.',
  usage: 'labels export <project-dir> [--csv FILE] [--imagefolder DIR [--link] [--by-split]] [--json]\nlabels import <project-dir> --csv FILE [--json]',
  details: [
    'export needs --csv, --imagefolder or both.',
    'An ImageFolder export stops on Ctrl+C after the files in flight; what was written stays in DIR.',
  ],
  options: {
    csv: {
      type: 'string',
      value: 'FILE',
      description: 'export: write path,label,split for every image; import: apply path,label[,split] rows (matched by path, missing classes created, one undoable step)',
      defaultText: 'no CSV',
    },
    imagefolder: { type: 'string', value: 'DIR', description: 'export: copy the labelled photos into DIR/<class>/', defaultText: 'no ImageFolder' },
    link: { type: 'boolean', description: 'with --imagefolder: symlink the photos instead of copying them' },
    'by-split': { type: 'boolean', description: 'with --imagefolder: DIR/<split>/<class>/ instead of DIR/<class>/' },
  },
  async run({ positionals, values, json, io, signal }) {
    const verb = requirePositional(positionals, 0, 'export or import', this.usage);
    const projectDir = requirePositional(positionals, 1, 'the project folder', this.usage);
    const csv = typeof values.csv === 'string' ? values.csv : undefined;
    const imageFolder = typeof values.imagefolder === 'string' ? values.imagefolder : undefined;
    if (verb !== 'export' && verb !== 'import') {
      throw new GraftError('bad-request', `Unknown labels action "${verb}": use export or import. Usage: graft ${this.usage}`);
    }
    if (verb === 'import' && (imageFolder || !csv)) throw new GraftError('bad-request', 'labels import reads a CSV: pass --csv FILE.');
    if (verb === 'export' && !csv && !imageFolder) throw new GraftError('bad-request', 'labels export needs --csv FILE or --imagefolder DIR.');
    const folderOnly = (['link', 'by-split'] as const).filter((name) => values[name] !== undefined);
    if (folderOnly.length > 0 && !imageFolder) {
      throw new GraftError('bad-request', `${folderOnly.map((n) => `--${n}`).join(' and ')} shape an ImageFolder export: add --imagefolder DIR, or drop them.`);
    }
    const project = openProject(projectDir);
    try {
      if (verb === 'import') {
        const result = await importLabelsCsv(project, csv!);
        printResult(io, json, result, () => {
          const lines = [
            `Read ${result.rows} rows: ${result.matched} matched, ${result.labelsChanged} labels changed, ` +
              `${result.splitsSet} splits set, ${result.unknownPaths.length} unknown paths, ${result.invalidRows.length} invalid rows.`,
          ];
          if (result.createdClasses.length > 0) lines.push(`Created classes: ${result.createdClasses.join(', ')}`);
          lines.push(...result.unknownPaths.slice(0, LISTED_PATHS).map((p) => `  not in this project: ${p}`));
          if (result.unknownPaths.length > LISTED_PATHS) lines.push(`  … and ${result.unknownPaths.length - LISTED_PATHS} more`);
          lines.push(...result.invalidRows.map((r) => `  line ${r.line}: ${r.reason}`));
          return lines.join('\n');
        });
        return 0;
      }
      const output: Record<string, unknown> = {};
      const human: string[] = [];
      let code = 0;
      if (csv) {
        const result = await exportLabelsCsv(project, csv);
        output.csv = result;
        human.push(`Wrote ${result.rows} rows (${result.labelled} labelled) to ${result.file}.`);
      }
      if (imageFolder) {
        const link = values.link === true;
        const result = await withProgress(io, json, exportProgressLine(link ? 'linking' : 'copying'), (onProgress) =>
          exportImageFolder(project, imageFolder, { link, bySplit: values['by-split'] === true }, { signal, onProgress }),
        );
        output.imagefolder = result;
        const verb = link ? 'Linked' : 'Copied';
        if (!result.cancelled) human.push(`${verb} ${result.exported} photos into ${result.dir}; ${result.skipped.length} left out.`);
        else if (result.exported === 0) human.push(`Cancelled before any photo was ${verb.toLowerCase()} into ${result.dir}.`);
        else human.push(`Cancelled: ${verb.toLowerCase()} ${result.exported} photos into ${result.dir} before the stop; they stay there, the rest were not written.`);
        human.push(...result.skipped.slice(0, LISTED_PATHS).map((s) => `  left out ${s.path}: ${s.reason}`));
        if (result.skipped.length > LISTED_PATHS) human.push(`  … and ${result.skipped.length - LISTED_PATHS} more (use --json for the full list)`);
        if (result.cancelled) code = CANCELLED_EXIT_CODE;
      }
      printResult(io, json, output, () => human.join('\n'));
      return code;
    } finally {
      project.dispose();
    }
  },
};

/** Words ImageFolder export progress as one stderr line; nothing while there is nothing to write. */
function exportProgressLine(verb: string): (progress: ImageFolderProgress) => string | null {
  return (progress) => {
    if (progress.total === 0) return null;
    const eta = progress.etaSeconds !== null && progress.done < progress.total ? `, about ${Math.ceil(progress.etaSeconds)} s left` : '';
    return `${verb} ${progress.done}/${progress.total} photos (${progress.imagesPerSecond.toFixed(1)}/s${eta})`;
  };
}
