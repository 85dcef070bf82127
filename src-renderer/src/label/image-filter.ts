import type { ImageQuery } from '../../../src-main/api/types/library';
import type { SplitName } from '../../../src-main/api/types/library';
import { applyQueue, isModelQueue, patchFilter, type ModelQueue } from './model-queues';

/** Which images the grid shows by label: all, unlabelled, or one class. */
export type ClassFilter = { kind: 'all' } | { kind: 'unlabelled' } | { kind: 'class'; classId: number };

/** The whole grid filter: by label, by split and by file name, and a model-based queue (see model-queues.ts). */
export interface GridFilter {
  label: ClassFilter;
  split: SplitName | 'none' | 'any';
  name: string;
  queue?: ModelQueue;
}

/** The library query (without paging) for a grid filter. */
export function queryFor(filter: GridFilter): ImageQuery {
  const query: ImageQuery = {};
  if (filter.label.kind === 'unlabelled') query.unlabelled = true;
  if (filter.label.kind === 'class') query.classId = filter.label.classId;
  if (filter.split !== 'any') query.split = filter.split;
  if (filter.name.trim()) query.nameContains = filter.name.trim();
  return applyQueue(query, filter.queue);
}

const SPLIT_FILTERS: readonly string[] = ['train', 'validation', 'test', 'none'];

/**
 * The grid filter a link asks for — `/label?class=3`, `/label?filter=unlabelled`, either
 * with `&split=train|validation|test|none`, or a model queue `?queue=margin|entropy|likely-errors`
 * — or null when the query names no filter.
 */
export function filterFromQuery(query: Record<string, unknown>): GridFilter | null {
  const one = (value: unknown) => (Array.isArray(value) ? (value[0] as unknown) : value);
  const classId = one(query.class);
  const split = one(query.split);
  let label: ClassFilter = { kind: 'all' };
  if (one(query.filter) === 'unlabelled') label = { kind: 'unlabelled' };
  else if (typeof classId === 'string' && /^[1-9]\d{0,9}$/.test(classId)) label = { kind: 'class', classId: Number(classId) };
  const splitFilter = typeof split === 'string' && SPLIT_FILTERS.includes(split) ? (split as GridFilter['split']) : 'any';
  const queue = one(query.queue);
  if (label.kind === 'all' && splitFilter === 'any' && !isModelQueue(queue)) return null;
  const filter: GridFilter = { label, split: splitFilter, name: '' };
  return isModelQueue(queue) ? patchFilter(filter, { queue }) : filter;
}
