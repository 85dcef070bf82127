import type { GridFilter } from './image-filter';

/** What an empty grid says, and whether it offers to clear the filter. */
export interface EmptyState {
  title: string;
  hint: string;
  canClearFilter: boolean;
}

const SPLIT_WORDS: Readonly<Record<string, string>> = { train: 'training', validation: 'validation', test: 'test' };

/**
 * The empty-grid text for the case at hand, most specific first: an empty project, a file-name
 * filter that matches nothing, an empty split, an empty class, nothing left unlabelled.
 */
export function emptyStateFor(filter: GridFilter, libraryTotal: number, className: string | null): EmptyState {
  if (libraryTotal === 0) {
    return { title: 'This project has no photos yet.', hint: 'Import a folder in the Library; its photos appear here to label.', canClearFilter: false };
  }
  const name = filter.name.trim();
  if (name) {
    return { title: `No file name contains “${name}”${scope(filter, className)}.`, hint: 'Check the spelling, or clear the filter.', canClearFilter: true };
  }
  if (filter.split === 'none') {
    return { title: `Every photo${scope(filter, className)} is in a split.`, hint: 'Photos without a split appear here after an import adds new ones.', canClearFilter: true };
  }
  if (filter.split !== 'any') {
    return {
      title: `No photos${scope(filter, className)} in the ${SPLIT_WORDS[filter.split]} split.`,
      hint: 'Make or redo the splits in the Library, or pin photos to this split from their menu.',
      canClearFilter: true,
    };
  }
  if (filter.label.kind === 'class') {
    return {
      title: `No photos in “${className ?? 'this class'}” yet.`,
      hint: 'Select photos under All images and press this class’s key, or pick it with C.',
      canClearFilter: true,
    };
  }
  if (filter.label.kind === 'unlabelled') {
    return { title: 'Every photo is labelled.', hint: 'Well done. Check the splits in the Library, then train a model.', canClearFilter: true };
  }
  return { title: 'No photos to show.', hint: 'The library changed while this page was open; it refreshes by itself.', canClearFilter: false };
}

function scope(filter: GridFilter, className: string | null): string {
  if (filter.label.kind === 'class') return ` in “${className ?? 'this class'}”`;
  if (filter.label.kind === 'unlabelled') return ' among the unlabelled ones';
  return '';
}
