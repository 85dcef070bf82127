import { describe, expect, it } from 'vitest';
import { trainingConfig } from '../test-support/run-fixtures';
import { configDiff, flattenConfig } from './config-diff';

describe('configDiff', () => {
  it('marks exactly the fields that differ, with readable labels and values', () => {
    const a = trainingConfig();
    const b = trainingConfig({ optimizer: { name: 'adam', learningRate: 0.0003 }, epochs: 5, head: { pooling: 'avg', layers: [{ units: 128, dropout: 0.2 }] } });
    const rows = configDiff(a, b);
    const differing = rows.filter((r) => r.differs);
    expect(differing.map((r) => [r.label, r.a, r.b])).toEqual([
      ['Dense layers', 'none', 'units 128, dropout 0.2'],
      ['Learning rate', '0.001', '0.0003'],
      ['Epochs', '3', '5'],
    ]);
    expect(rows.find((r) => r.path === 'base.arch')).toMatchObject({ label: 'Architecture', a: 'mobilenet_v2', b: 'mobilenet_v2', differs: false });
  });

  it('shows a field only one run has as a dash on the other side', () => {
    const a = trainingConfig();
    const b = trainingConfig({ freeze: { kind: 'blocks', blocks: ['block_15', 'block_16'] }, twoStage: { fineTuneEpochs: 2 } });
    const rows = configDiff(a, b);
    expect(rows.find((r) => r.path === 'freeze.kind')).toMatchObject({ a: 'head-only', b: 'blocks', differs: true });
    expect(rows.find((r) => r.path === 'freeze.blocks')).toMatchObject({ label: 'Unfrozen blocks', a: '—', b: 'block_15 · block_16', differs: true });
    expect(rows.find((r) => r.path === 'twoStage')).toMatchObject({ a: 'none', b: '—', differs: true });
    expect(rows.find((r) => r.path === 'twoStage.fineTuneEpochs')).toMatchObject({ a: '—', b: '2', differs: true });
  });

  it('flattens nested objects into dotted paths in key order', () => {
    expect(flattenConfig({ x: { y: 1, z: [1, 2] }, w: false })).toEqual([
      ['x.y', '1'],
      ['x.z', '1 · 2'],
      ['w', 'no'],
    ]);
  });
});
