import { describe, expect, it } from 'vitest';
import { importFormKey, loadImportForm, saveImportForm, type FormStorage } from './remembered-import-form';

function memoryStorage(): FormStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('remembered import form', () => {
  it('keeps each project’s folder and options apart', () => {
    const storage = memoryStorage();
    saveImportForm('/p/one', { folder: '/photos/a', labelsFromSubfolders: true, labelDepth: '2', allowSvg: false }, storage);
    saveImportForm('/p/two', { folder: '/photos/b', labelsFromSubfolders: false, labelDepth: '', allowSvg: true }, storage);
    expect(loadImportForm('/p/one', storage)).toEqual({ folder: '/photos/a', labelsFromSubfolders: true, labelDepth: '2', allowSvg: false });
    expect(loadImportForm('/p/two', storage)?.folder).toBe('/photos/b');
    expect(loadImportForm('/p/three', storage)).toBeNull();
  });

  it('ignores what it cannot read, and a storage that refuses writes', () => {
    const storage = memoryStorage();
    storage.data.set(importFormKey('/p'), '{not json');
    expect(loadImportForm('/p', storage)).toBeNull();
    storage.data.set(importFormKey('/p'), JSON.stringify({ folder: '/x', labelDepth: '<script>', labelsFromSubfolders: 'yes' }));
    expect(loadImportForm('/p', storage)).toEqual({ folder: '/x', labelsFromSubfolders: false, labelDepth: '', allowSvg: false });
    const full: FormStorage = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(() => saveImportForm('/p', { folder: '/y', labelsFromSubfolders: false, labelDepth: '', allowSvg: false }, full)).not.toThrow();
    expect(loadImportForm('', storage)).toBeNull();
  });
});
