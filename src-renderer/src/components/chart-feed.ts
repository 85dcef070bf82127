import type uPlot from 'uplot';

/** A vertical marker on a chart's x axis (e.g. where fine-tuning starts). */
export interface ChartMarker {
  x: number;
  label: string;
}

/**
 * What a LineChart draws and how it learns of new points: the owner mutates its arrays and
 * calls `notify`, the chart redraws with uPlot's setData (no Vue re-render per point).
 */
export interface ChartFeed {
  /** uPlot's aligned columns: x first, then one column per line. */
  data(): uPlot.AlignedData;
  markers(): readonly ChartMarker[];
  subscribe(listener: () => void): () => void;
  notify(): void;
}

/** A feed over `data` (read at each redraw), with optional markers. */
export function createChartFeed(data: () => uPlot.AlignedData, markers: () => readonly ChartMarker[] = () => []): ChartFeed {
  const listeners = new Set<() => void>();
  return {
    data,
    markers,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    notify() {
      for (const listener of [...listeners]) listener();
    },
  };
}

/** True when aligned data has at least one point to draw. */
export function hasPoints(data: uPlot.AlignedData): boolean {
  const xs = data[0];
  if (!xs || xs.length === 0) return false;
  return data.slice(1).some((column) => column.some((v) => v !== null && v !== undefined && Number.isFinite(v)));
}
