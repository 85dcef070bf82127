import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { GraftError } from '../../api/errors';
import { decodePredictions } from './decode-predictions';
import { imagenetClasses } from './imagenet-classes';

function row(entries: Record<number, number>): Float32Array {
  const scores = new Float32Array(1000);
  for (const [index, value] of Object.entries(entries)) scores[Number(index)] = value;
  return scores;
}

describe('the bundled ImageNet class list', () => {
  it('has 1000 classes in WordNet-id order with Keras labels', () => {
    const classes = imagenetClasses();
    expect(classes).toHaveLength(1000);
    expect(classes[0]).toEqual({ id: 'n01440764', label: 'tench', names: 'tench, Tinca tinca' });
    expect(classes[2]!.label).toBe('great_white_shark');
    expect(classes[107]!.label).toBe('jellyfish');
    expect(classes[999]).toMatchObject({ id: 'n15075141', label: 'toilet_tissue' });
    // ILSVRC class indices are the synsets sorted by id; both "crane"s and "maillot"s are distinct.
    const ids = classes.map((c) => c.id);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
    expect([classes[134]!.id, classes[517]!.id]).toEqual(['n02012849', 'n03126707']);
    for (const c of classes) expect(c.id).toMatch(/^n\d{8}$/);
  });

  it('rejects a damaged file with an actionable error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'graft-classes-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify({ classes: [{ id: 'n1', label: 'x', names: 'x' }] }));
    expect(() => imagenetClasses(file)).toThrow(/damaged/);
    expect(() => imagenetClasses(join(dir, 'missing.json'))).toThrow(GraftError);
  });
});

describe('decodePredictions', () => {
  it('returns the top classes per row, highest first', () => {
    const [first, second] = decodePredictions([row({ 1: 0.7, 0: 0.2, 999: 0.1 }), row({ 5: 0.9 })], 3);
    expect(first).toEqual([
      { classId: 'n01443537', label: 'goldfish', probability: expect.closeTo(0.7, 6) },
      { classId: 'n01440764', label: 'tench', probability: expect.closeTo(0.2, 6) },
      { classId: 'n15075141', label: 'toilet_tissue', probability: expect.closeTo(0.1, 6) },
    ]);
    expect(second![0]).toMatchObject({ classId: 'n01496331', label: 'electric_ray' });
    expect(second).toHaveLength(3);
  });

  it('defaults to the top 5 and accepts plain number arrays', () => {
    const scores = Array.from({ length: 1000 }, (_, i) => i / 1000);
    const [top] = decodePredictions([scores]);
    expect(top!.map((p) => p.label)).toEqual(['toilet_tissue', 'ear', 'bolete', 'hen-of-the-woods', 'earthstar']);
  });

  it('keeps the lower class index first on ties and ranks NaN last', () => {
    const tied = row({ 500: 0.5, 20: 0.5, 300: 0.5, 7: NaN });
    const [top] = decodePredictions([tied], 4);
    const classes = imagenetClasses();
    expect(top!.map((p) => p.classId)).toEqual([20, 300, 500, 0].map((i) => classes[i]!.id));
    expect(top![0]).toMatchObject({ classId: 'n01601694', label: 'water_ouzel' });
    const [all] = decodePredictions([tied], 1000);
    expect(all!.at(-1)!.label).toBe('cock');
  });

  it('throws a clear error unless every row has 1000 scores', () => {
    expect(() => decodePredictions([new Float32Array(10)])).toThrow(/1000 per row.*row 0 has 10/);
    expect(() => decodePredictions([row({}), [1, 2]])).toThrow(/row 1 has 2/);
  });
});
