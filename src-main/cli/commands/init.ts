import { createProject } from '../../core/project/project';
import { APP_VERSION } from '../../core/app-version';
import { printResult, type CliCommand } from '../command';
import { requirePositional } from '../run-cli';

/** `graft init <project-dir>`: creates a project folder. */
export const initCommand: CliCommand = {
  name: 'init',
  summary: 'Create a Graft project folder (graft.db, thumbnails/, runs/, exports/).',
  usage: 'init <project-dir>',
  options: {},
  async run({ positionals, json, io }) {
    const dir = requirePositional(positionals, 0, 'the project folder', this.usage);
    const project = createProject(dir, { appVersion: APP_VERSION });
    try {
      const info = project.info();
      printResult(io, json, info, () => `Created project "${info.name}" in ${info.dir} (schema ${info.schemaVersion}).`);
      return 0;
    } finally {
      project.dispose();
    }
  },
};
