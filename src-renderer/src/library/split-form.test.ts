import { describe, expect, it } from 'vitest';
import { checkSplitForm, formFromSettings } from './split-form';

describe('checkSplitForm', () => {
  it('turns percentages into fractions', () => {
    expect(checkSplitForm({ train: 70, validation: 20, test: 10, seed: 1 })).toEqual({
      ok: true,
      params: { train: 0.7, validation: 0.2, test: 0.1, seed: 1 },
    });
    expect(checkSplitForm({ train: '33.3', validation: '33.3', test: '33.4', seed: '0' }).ok).toBe(true);
  });

  it('names the problem and its field', () => {
    expect(checkSplitForm({ train: 80, validation: 10, test: 5, seed: 1 })).toMatchObject({ ok: false, field: 'sum', error: expect.stringContaining('95%') });
    expect(checkSplitForm({ train: '', validation: 10, test: 10, seed: 1 })).toMatchObject({ ok: false, field: 'train' });
    expect(checkSplitForm({ train: 110, validation: -10, test: 0, seed: 1 })).toMatchObject({ ok: false, field: 'train' });
    expect(checkSplitForm({ train: 0, validation: 50, test: 50, seed: 1 })).toMatchObject({ ok: false, field: 'train' });
    expect(checkSplitForm({ train: 80, validation: 10, test: 10, seed: 1.5 })).toMatchObject({ ok: false, field: 'seed' });
    expect(checkSplitForm({ train: 80, validation: 10, test: 10, seed: '' })).toMatchObject({ ok: false, field: 'seed' });
  });

  it('fills the form from the last settings, or 80/10/10 seed 42', () => {
    expect(formFromSettings(null)).toEqual({ train: 80, validation: 10, test: 10, seed: 42 });
    expect(formFromSettings({ train: 0.7, validation: 0.15, test: 0.15, seed: 9, assignedAt: '' })).toEqual({ train: 70, validation: 15, test: 15, seed: 9 });
  });
});
