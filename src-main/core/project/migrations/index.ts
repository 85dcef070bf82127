import type { Migration } from './migration';
import { projectMeta } from './001-project-meta';
import { library } from './002-library';
import { labelJournalSplits } from './003-label-journal-splits';
import { trainingRuns } from './004-training-runs';
import { useTheModel } from './005-use-the-model';
import { classHotkeys } from './006-class-hotkeys';
import { suggestionsFollowRenames } from './007-suggestions-follow-renames';
import { runClassIds } from './008-run-class-ids';
import { runOwnerStart } from './009-run-owner-start';

/** Every migration this version of Graft knows, in order. Append; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [projectMeta, library, labelJournalSplits, trainingRuns, useTheModel, classHotkeys, suggestionsFollowRenames, runClassIds, runOwnerStart];
