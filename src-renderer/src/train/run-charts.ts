/**
 * The four live charts of a run (loss and accuracy per batch, loss per epoch, accuracy per
 * epoch, learning rate), each a LineChart's props over one feed that reads the run's series.
 */
import { markRaw } from 'vue';
import { createChartFeed, type ChartFeed, type ChartMarker } from '../components/chart-feed';
import { PALETTE, type AxisFormat, type ChartLine } from '../components/chart-style';
import { fineTuneStart, type RunSeries } from './chart-series';

/** What a LineChart takes (everything but how it is laid out). */
export interface LineChartProps {
  feed: ChartFeed;
  lines: ChartLine[];
  title: string;
  xLabel: string;
  y: AxisFormat;
  y2?: AxisFormat;
  xInteger?: boolean;
  height?: number;
  emptyText?: string;
}

/** The charts of one run, and the call that redraws them all. */
export interface RunCharts {
  list: { id: 'batch' | 'epoch-loss' | 'epoch-acc' | 'lr'; props: LineChartProps }[];
  notify(): void;
}

const LOSS: AxisFormat = { label: 'loss', kind: 'number' };
const ACCURACY: AxisFormat = { label: 'accuracy', kind: 'percent', range: [0, 1] };

/** The first sampled batch step of the fine-tune stage, when the run has one. */
function fineTuneStep(series: RunSeries): number | null {
  const start = fineTuneStart(series.epochs);
  if (start === null) return null;
  const index = series.batches.epoch.findIndex((epoch) => epoch >= start - 1);
  return index < 0 ? null : series.batches.step[index]!;
}

/** Charts over `series()` (read at every redraw, so the owner may swap the series for another run). */
export function runCharts(series: () => RunSeries, height = 170): RunCharts {
  const epochMarkers = (): ChartMarker[] => {
    const start = fineTuneStart(series().epochs);
    return start === null ? [] : [{ x: start - 0.5, label: 'fine-tune' }];
  };
  const batchMarkers = (): ChartMarker[] => {
    const step = fineTuneStep(series());
    return step === null ? [] : [{ x: step, label: 'fine-tune' }];
  };
  const feeds = {
    batch: createChartFeed(() => {
      const b = series().batches;
      return [b.step, b.loss, b.acc];
    }, batchMarkers),
    epochLoss: createChartFeed(() => {
      const e = series().epochs;
      return [e.epoch, e.loss, e.valLoss];
    }, epochMarkers),
    epochAcc: createChartFeed(() => {
      const e = series().epochs;
      return [e.epoch, e.acc, e.valAcc];
    }, epochMarkers),
    lr: createChartFeed(() => {
      const b = series().batches;
      return [b.step, b.lr];
    }, batchMarkers),
  };
  const waitingBatch = 'Waiting for the first batch…';
  const waitingEpoch = 'Drawn after the first epoch.';
  const list: RunCharts['list'] = [
    {
      id: 'batch',
      props: {
        feed: markRaw(feeds.batch),
        title: 'Training batches',
        xLabel: 'step',
        xInteger: true,
        y: LOSS,
        y2: ACCURACY,
        lines: [
          { label: 'loss', color: PALETTE.train },
          { label: 'accuracy', color: PALETTE.accent, scale: 'y2', width: 1.5 },
        ],
        height,
        emptyText: waitingBatch,
      },
    },
    {
      id: 'epoch-loss',
      props: {
        feed: markRaw(feeds.epochLoss),
        title: 'Loss per epoch',
        xLabel: 'epoch',
        xInteger: true,
        y: LOSS,
        lines: [
          { label: 'training', color: PALETTE.train, points: true },
          { label: 'validation', color: PALETTE.validation, points: true },
        ],
        height,
        emptyText: waitingEpoch,
      },
    },
    {
      id: 'epoch-acc',
      props: {
        feed: markRaw(feeds.epochAcc),
        title: 'Accuracy per epoch',
        xLabel: 'epoch',
        xInteger: true,
        y: ACCURACY,
        lines: [
          { label: 'training', color: PALETTE.train, points: true },
          { label: 'validation', color: PALETTE.validation, points: true },
        ],
        height,
        emptyText: waitingEpoch,
      },
    },
    {
      id: 'lr',
      props: {
        feed: markRaw(feeds.lr),
        title: 'Learning rate',
        xLabel: 'step',
        xInteger: true,
        y: { label: 'learning rate', kind: 'scientific' },
        lines: [{ label: 'learning rate', color: PALETTE.other }],
        height,
        emptyText: waitingBatch,
      },
    },
  ];
  return {
    list,
    notify() {
      for (const feed of Object.values(feeds)) feed.notify();
    },
  };
}
