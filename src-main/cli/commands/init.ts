import { GraftError } from '../../api/errors';
import { createProject } from '../../core/project/project';
import { APP_VERSION } from '../../core/app-version';
import { printResult, type CliCommand } from '../command';
import { requirePositional } from '../run-cli';
import { quoteArg } from '../training-session';

/** `graft init <project-dir>`: creates a project folder. */
export const initCommand: CliCommand = {
  name: 'init',
  summary: 'Create a Graft project folder (graft.db, thumbnails/, runs/, exports/).',
  usage: 'init <project-dir> [--json]',
  details: ['Use a new or empty folder, then add photos with graft import <project-dir> <photos-folder>: they stay where they are.'],
  options: {},
  async run({ positionals, json, io }) {
    const dir = requirePositional(positionals, 0, 'the project folder', this.usage);
    let project;
    try {
      project = createProject(dir, { appVersion: APP_VERSION });
    } catch (error) {
      if (error instanceof GraftError && error.code === 'project-exists') {
        throw new GraftError('project-exists', `${dir} is already a Graft project; open it with "graft serve ${quoteArg(dir)}" (graft import adds photos to it).`);
      }
      throw error;
    }
    try {
      const info = project.info();
      printResult(io, json, info, () =>
        [`Created project "${info.name}" in ${info.dir} (schema ${info.schemaVersion}).`, `Next: graft import ${quoteArg(dir)} PHOTOS-FOLDER, then graft serve ${quoteArg(dir)}`].join('\n'),
      );
      return 0;
    } finally {
      project.dispose();
    }
  },
};
