import { describe, expect, it } from 'vitest';
import { galleryActionFor, libraryClassIds, predictionQuery, relabelled } from './gallery-query';

const key = (k: string, mods: Partial<KeyboardEvent> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

describe('gallery queries and keys', () => {
  it('asks for the wrong ones, everything by loss, or one confusion-matrix cell', () => {
    expect(predictionQuery(4, { kind: 'misclassified' }, 0, 60)).toEqual({ evaluationId: 4, orderBy: 'loss', offset: 0, limit: 60, misclassified: true });
    expect(predictionQuery(4, { kind: 'highest-loss' }, 60, 60)).toEqual({ evaluationId: 4, orderBy: 'loss', offset: 60, limit: 60 });
    expect(predictionQuery(4, { kind: 'cell', trueClass: 1, predictedClass: 0 }, 0, 10)).toMatchObject({ trueClass: 1, predictedClass: 0 });
    expect(predictionQuery(4, { kind: 'class-mistakes', trueClass: 2 }, 0, 10)).toMatchObject({ trueClass: 2, misclassified: true });
  });

  it('matches run classes to library classes by name', () => {
    const library = [
      { id: 11, name: 'dog', color: '#000000', sortOrder: 0, hotkey: 1, imageCount: 1 },
      { id: 12, name: 'cat', color: '#000000', sortOrder: 1, hotkey: 2, imageCount: 1 },
    ];
    expect(libraryClassIds(['cat', 'dog', 'bird'], library)).toEqual([12, 11, null]);
  });

  it('maps keys: numbers relabel, P takes the prediction, arrows move by cell or row, Ctrl+Z undoes', () => {
    expect(galleryActionFor(key('2'), 5)).toEqual({ kind: 'relabel', classIndex: 1 });
    expect(galleryActionFor(key('p'), 5)).toEqual({ kind: 'relabel-predicted' });
    expect(galleryActionFor(key('ArrowDown'), 5)).toEqual({ kind: 'move', delta: 5 });
    expect(galleryActionFor(key('z', { ctrlKey: true }), 5)).toEqual({ kind: 'undo' });
    expect(galleryActionFor(key('2', { ctrlKey: true }), 5)).toBeNull();
    expect(galleryActionFor(key('0'), 5)).toBeNull();
  });

  it('tells a relabelled image from one still labelled as the run saw it', () => {
    expect(relabelled({ label: 0, currentLabel: 'cat' }, ['cat', 'dog'])).toBe(false);
    expect(relabelled({ label: 0, currentLabel: 'dog' }, ['cat', 'dog'])).toBe(true);
    expect(relabelled({ label: 0, currentLabel: null }, ['cat', 'dog'])).toBe(true);
  });
});
