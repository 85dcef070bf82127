/**
 * A confusion matrix as the heatmap shows it: each cell's count, its share of the true
 * class's row (so every row reads as "where the images of this class went"), and words for
 * screen readers.
 */

/** One cell of the matrix: true class `row`, predicted class `column`. */
export interface ConfusionCell {
  row: number;
  column: number;
  count: number;
  /** count / images of the true class (0 when the class has none). */
  share: number;
  correct: boolean;
  /** What the cell holds, in words. */
  label: string;
}

/** Cells of `confusion` (rows are true classes, columns predicted, sklearn's convention) with their shares. */
export function confusionCells(confusion: readonly (readonly number[])[], classes: readonly string[]): ConfusionCell[][] {
  return confusion.map((counts, row) => {
    const total = counts.reduce((a, b) => a + b, 0);
    return counts.map((count, column) => {
      const share = total > 0 ? count / total : 0;
      const name = (i: number) => classes[i] ?? `class ${i + 1}`;
      const images = `${count} ${count === 1 ? 'image' : 'images'} of ${name(row)}`;
      const label = row === column ? `${images} predicted correctly (${Math.round(share * 100)}%)` : `${images} predicted as ${name(column)} (${Math.round(share * 100)}%)`;
      return { row, column, count, share, correct: row === column, label };
    });
  });
}

/** Column headers: the class names while they fit, else numbers (the row headers name them). */
export function columnHeaders(classes: readonly string[], maxNamed = 6): { short: string; full: string }[] {
  const named = classes.length <= maxNamed;
  return classes.map((name, i) => ({ short: named ? name : String(i + 1), full: name }));
}

/** The cell's fill: a stronger tint the larger its share; correct cells in the "ok" colour, confusions in the "error" one. */
export function cellBackground(cell: Pick<ConfusionCell, 'share' | 'correct' | 'count'>): string {
  if (cell.count === 0) return 'transparent';
  const strength = Math.round(12 + cell.share * 78);
  return `color-mix(in srgb, var(${cell.correct ? '--ok' : '--error'}) ${strength}%, transparent)`;
}
