/**
 * What the gallery asks `runs.predictions` for, and how a key relabels an image: to one of the
 * run's classes by number, or to what the model predicted. Labels go to the library by class
 * id; a run stores class names, so names are matched to the library's classes now.
 */
import type { PredictionItem, PredictionQuery } from '../../../src-main/api/types/runs';
import type { ClassInfo } from '../../../src-main/api/types/library';

/** Which images the gallery shows. */
export type GalleryFilter =
  | { kind: 'misclassified' }
  | { kind: 'highest-loss' }
  | { kind: 'class-mistakes'; trueClass: number }
  | { kind: 'cell'; trueClass: number; predictedClass: number };

/** The prediction query for a filter and a page. */
export function predictionQuery(evaluationId: number, filter: GalleryFilter, offset: number, limit: number): PredictionQuery {
  const base: PredictionQuery = { evaluationId, orderBy: 'loss', offset, limit };
  switch (filter.kind) {
    case 'misclassified':
      return { ...base, misclassified: true };
    case 'highest-loss':
      return base;
    case 'class-mistakes':
      return { ...base, misclassified: true, trueClass: filter.trueClass };
    case 'cell':
      return { ...base, trueClass: filter.trueClass, predictedClass: filter.predictedClass };
  }
}

/** The library class id of each of the run's classes, matched by name; null when the library has no such class now. */
export function libraryClassIds(runClasses: readonly string[], library: readonly ClassInfo[]): (number | null)[] {
  const byName = new Map(library.map((c) => [c.name, c.id]));
  return runClasses.map((name) => byName.get(name) ?? null);
}

/** What a key press in the gallery asks for. */
export type GalleryAction =
  | { kind: 'relabel'; classIndex: number }
  | { kind: 'relabel-predicted' }
  | { kind: 'move'; delta: number }
  | { kind: 'undo' };

/** The action of a key in the gallery (1–9: a run class, P: the prediction, arrows move, Ctrl+Z undo); null for other keys. */
export function galleryActionFor(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>, columns: number): GalleryAction | null {
  const mod = event.ctrlKey || event.metaKey;
  if (mod && !event.shiftKey && event.key.toLowerCase() === 'z') return { kind: 'undo' };
  if (mod || event.altKey) return null;
  if (/^[1-9]$/.test(event.key)) return { kind: 'relabel', classIndex: Number(event.key) - 1 };
  if (event.key === 'p' || event.key === 'P') return { kind: 'relabel-predicted' };
  const moves: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -columns, ArrowDown: columns };
  return event.key in moves ? { kind: 'move', delta: moves[event.key]! } : null;
}

/** Whether an image's library label differs from the label the run trained with (it was relabelled since). */
export function relabelled(item: Pick<PredictionItem, 'label' | 'currentLabel'>, runClasses: readonly string[]): boolean {
  return item.currentLabel !== (runClasses[item.label] ?? null);
}
