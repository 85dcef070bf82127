/** Layout of a virtual grid at one viewport size. */
export interface GridGeometry {
  columns: number;
  rows: number;
  cellWidth: number;
  cellHeight: number;
  /** First and last item index to render (inclusive); last < first when empty. */
  first: number;
  last: number;
}

/**
 * Which items a virtual grid renders: only the rows in view plus `overscan` rows above
 * and below, so 100,000 images cost the same as a screenful.
 */
export function gridGeometry(input: {
  total: number;
  width: number;
  height: number;
  scrollTop: number;
  minCell: number;
  overscan?: number;
}): GridGeometry {
  const columns = Math.max(1, Math.floor(input.width / input.minCell));
  const cellWidth = input.width / columns;
  const cellHeight = cellWidth;
  const rows = Math.ceil(input.total / columns);
  const overscan = input.overscan ?? 2;
  const firstRow = Math.max(0, Math.floor(input.scrollTop / cellHeight) - overscan);
  const lastRow = Math.min(rows - 1, Math.ceil((input.scrollTop + input.height) / cellHeight) + overscan);
  return { columns, rows, cellWidth, cellHeight, first: firstRow * columns, last: Math.min(input.total - 1, (lastRow + 1) * columns - 1) };
}

/** The scrollTop that brings row `row` fully into view, or null when it already is. */
export function scrollToRow(row: number, cellHeight: number, scrollTop: number, height: number): number | null {
  const top = row * cellHeight;
  if (top < scrollTop) return top;
  if (top + cellHeight > scrollTop + height) return top + cellHeight - height;
  return null;
}
