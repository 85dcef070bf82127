import type { Database } from 'better-sqlite3';
import type { SuggestionsAcceptAboveResult, SuggestionsAcceptResult } from '../../api/types/predict';
import { checkImageIds, writeLabels } from '../library/labels';
import { recordOperation, undoState, type LabelChange } from '../library/label-journal';
import type { Project } from '../project/project';
import { pendingAbove, pendingOf, type AcceptCandidate } from './suggestion-store';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Turns suggestions into ordinary labels inside the caller's transaction, through the
 * library's label writes, recorded as ONE operation of the undo journal whatever the mix of
 * classes ("accept 12 suggestions"). Suggestions whose class no longer exists are skipped.
 */
function applyAccepted(db: Database, candidates: readonly AcceptCandidate[]): { accepted: number; skipped: number } {
  const byClass = new Map<number, number[]>();
  let skipped = 0;
  for (const candidate of candidates) {
    if (candidate.classId === null) {
      skipped++;
      continue;
    }
    const ids = byClass.get(candidate.classId) ?? [];
    ids.push(candidate.imageId);
    byClass.set(candidate.classId, ids);
  }
  const changes: LabelChange[] = [];
  for (const [classId, ids] of byClass) changes.push(...writeLabels(db, ids, classId).changes);
  recordOperation(db, 'assign', `accept ${plural(changes.length, 'suggestion')}`, [], changes);
  return { accepted: changes.length, skipped };
}

/** Accepts the pending suggestions of the given images as their labels, as one undoable step. */
export function acceptSuggestions(project: Project, imageIds: readonly number[]): SuggestionsAcceptResult {
  const ids = checkImageIds(imageIds);
  const db = project.db;
  const result = db.transaction(() => {
    const candidates = pendingOf(db, ids);
    const applied = applyAccepted(db, candidates);
    return { accepted: applied.accepted, skipped: ids.length - candidates.length + applied.skipped };
  })();
  return { ...result, undo: undoState(project) };
}

/**
 * The pending suggestions on unlabelled images at or above `threshold`, counted per class;
 * unless `dryRun`, accepted in one undoable step (what was counted is what is accepted: both
 * happen in one transaction).
 */
export function acceptSuggestionsAbove(project: Project, threshold: number, dryRun: boolean): SuggestionsAcceptAboveResult {
  const db = project.db;
  return db.transaction(() => {
    const candidates = pendingAbove(db, threshold);
    const counts = new Map<string, { className: string; classId: number | null; count: number }>();
    for (const c of candidates) {
      const entry = counts.get(c.className) ?? { className: c.className, classId: c.classId, count: 0 };
      entry.count++;
      counts.set(c.className, entry);
    }
    const perClass = [...counts.values()].sort((a, b) => b.count - a.count || a.className.localeCompare(b.className));
    const accepted = dryRun ? null : { ...applyAccepted(db, candidates), undo: undoState(project) };
    return { dryRun, threshold, perClass, total: candidates.length, accepted };
  })();
}
