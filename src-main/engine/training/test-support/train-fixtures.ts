import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { DatasetSnapshot, TrainEvent, TrainingConfig } from '../../../api/types/runs';
import type { Tf } from '../../backend';
import type { EngineTrainParams } from '../../protocol';
import type { EngineContext } from '../../worker/engine-context';
import { headOnlyConfig } from '../../../api/test-support/training-config';

/** A small run config: head-only on the bundled MobileNetV2 at 32 px, quick enough for unit tests on the cpu backend. */
export function smallConfig(over: Partial<TrainingConfig> = {}): TrainingConfig {
  return headOnlyConfig({ runtime: 'tfjs', ...over });
}

/** An in-process engine context over the global tfjs, recording events; `cancelAfter` aborts at that checkpoint call. */
export function testContext<N extends 'train' | 'lrFind' | 'evaluate'>(events: unknown[] = [], options: { cancelAfter?: number } = {}): EngineContext<N> {
  const controller = new AbortController();
  let calls = 0;
  return {
    tf: tf as unknown as Tf,
    backend: tf.getBackend() as 'cpu',
    signal: controller.signal,
    emit: (e) => events.push(e),
    checkpoint: async () => {
      calls += 1;
      if (options.cancelAfter !== undefined && calls > options.cancelAfter) {
        controller.abort();
        const { GraftError } = await import('../../../api/errors');
        throw new GraftError('cancelled', 'Cancelled.');
      }
    },
  } as EngineContext<N>;
}

/** A temporary folder for runs and the activation cache of one test file. */
export function trainTempDir(): { dir: string; params(run: string, config: TrainingConfig, dataset: DatasetSnapshot, resume?: boolean): EngineTrainParams; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-train-'));
  return {
    dir,
    params: (run, config, dataset, resume = false) => ({ runDir: path.join(dir, run), activationCacheDir: path.join(dir, 'activations'), config, dataset, resume }),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** The epoch events of a run, in order. */
export function epochsOf(events: readonly unknown[]): Extract<TrainEvent, { type: 'epoch' }>[] {
  return (events as TrainEvent[]).filter((e): e is Extract<TrainEvent, { type: 'epoch' }> => e.type === 'epoch');
}
