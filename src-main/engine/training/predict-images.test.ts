import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetSnapshot, RunImage } from '../../api/types/runs';
import type { FrozenForward } from '../inference/frozen-forward';
import type { InputScaling } from '../inference/inference-model';
import { predictImages } from './predict-images';
import { modelInput } from './prefix-activations';
import { writeSeparableDataset } from './test-support/separable-images';

const SIZE = 12;
const SCALING: InputScaling = { kind: 'unit' };
let dir: string;
let dataset: DatasetSnapshot;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-predict-images-'));
  dataset = await writeSeparableDataset(dir, { classes: 2, perClass: 3, size: 16 });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A stand-in model: per image, the mean of its scaled pixels (one sigmoid-like unit) or that mean and its complement. */
function meanForward(units: 1 | 2, batches: number[]): FrozenForward {
  const perImage = SIZE * SIZE * 3;
  return {
    runtime: 'tfjs',
    description: 'test',
    inputShape: [SIZE, SIZE, 3],
    outputLayers: ['predictions'],
    outputShapes: [[units]],
    run: async (batch, n) => {
      batches.push(n);
      const out = new Float32Array(n * units);
      for (let i = 0; i < n; i++) {
        const mean = batch.subarray(i * perImage, (i + 1) * perImage).reduce((a, b) => a + b, 0) / perImage;
        out.set(units === 1 ? [mean] : [1 - mean, mean], i * units);
      }
      return [out];
    },
    dispose: () => undefined,
  };
}

async function meanOf(image: RunImage): Promise<number> {
  const input = await modelInput({ path: image.path, contentHash: image.contentHash, variant: 0 }, { size: SIZE, scaling: SCALING, augment: null, seed: 0 });
  return input.reduce((a, b) => a + b, 0) / input.length;
}

describe('predictImages', () => {
  it('predicts every readable image in order, lists the unreadable ones, and gives a sigmoid unit two columns', async () => {
    const broken = path.join(dir, 'broken.png');
    fs.writeFileSync(broken, 'not an image');
    const images = [...dataset.images.slice(0, 3), { ...dataset.images[0]!, imageId: 99, path: broken }, ...dataset.images.slice(3)];
    const batches: number[] = [];
    const progress: number[] = [];
    let checkpoints = 0;
    const result = await predictImages(meanForward(1, batches), images, { size: SIZE, scaling: SCALING }, 4, {
      checkpoint: async () => {
        checkpoints += 1;
      },
      onProgress: (done, total) => progress.push(done / total),
    });
    expect(result.images.map((i) => i.imageId)).toEqual(dataset.images.map((i) => i.imageId));
    expect(result.unreadable).toHaveLength(1);
    expect(result.unreadable[0]!.path).toBe(broken);
    // Batches of 4 with the broken image squeezed out of the first.
    expect(batches).toEqual([3, 3]);
    expect(checkpoints).toBe(2);
    expect(progress).toEqual([4 / 7, 1]);
    expect(result.classes).toBe(2);
    for (const [i, image] of dataset.images.entries()) {
      const mean = await meanOf(image);
      expect(result.probabilities[i * 2 + 1]).toBeCloseTo(mean, 5);
      expect(result.probabilities[i * 2]).toBeCloseTo(1 - mean, 5);
    }
  });

  it('keeps a softmax output as it is, and handles no images', async () => {
    const batches: number[] = [];
    const hooks = { checkpoint: async () => undefined };
    const result = await predictImages(meanForward(2, batches), dataset.images.slice(0, 2), { size: SIZE, scaling: SCALING }, 8, hooks);
    expect(result.probabilities).toHaveLength(4);
    expect(result.probabilities[1]).toBeCloseTo(await meanOf(dataset.images[0]!), 5);
    const none = await predictImages(meanForward(2, batches), [], { size: SIZE, scaling: SCALING }, 8, hooks);
    expect(none).toEqual({ images: [], probabilities: new Float32Array(0), classes: 2, unreadable: [] });
    expect(batches).toEqual([2]);
  });
});
