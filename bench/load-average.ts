/** The machine's load, printed with benchmark figures so a reader can tell how quiet it was. */
import os from 'node:os';

/** 1, 5 and 15-minute load averages: above ~0.5 other work was competing for the 2 cores. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
}
