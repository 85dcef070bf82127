import type { ImageQuery } from '../../../src-main/api/types/library';
import type { SplitName } from '../../../src-main/api/types/library';

/** Which images the grid shows by label: all, unlabelled, or one class. */
export type ClassFilter = { kind: 'all' } | { kind: 'unlabelled' } | { kind: 'class'; classId: number };

/** The whole grid filter: by label, by split and by file name. */
export interface GridFilter {
  label: ClassFilter;
  split: SplitName | 'none' | 'any';
  name: string;
}

/** The library query (without paging) for a grid filter. */
export function queryFor(filter: GridFilter): ImageQuery {
  const query: ImageQuery = {};
  if (filter.label.kind === 'unlabelled') query.unlabelled = true;
  if (filter.label.kind === 'class') query.classId = filter.label.classId;
  if (filter.split !== 'any') query.split = filter.split;
  if (filter.name.trim()) query.nameContains = filter.name.trim();
  return query;
}
