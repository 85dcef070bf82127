import { describe, expect, it } from 'vitest';
import { mapClassesOf, mappingRows, parseClassDifference } from './class-mapping';

const BOTH =
  'The model\'s classes differ from the project\'s: the model has "Cat", "fox", which the project lacks; the project has "dog", which the model lacks. To import it anyway, say which project class each model class is (mapClasses: {"model class": "project class"}).';

describe('parseClassDifference', () => {
  it('reads the classes named both ways, leaving out the quoted example of the hint', () => {
    expect(parseClassDifference(BOTH)).toEqual({ extra: ['Cat', 'fox'], lacking: ['dog'] });
  });

  it('reads one way only', () => {
    const onlyExtra = 'The model\'s classes differ from the project\'s: the model has "bird", which the project lacks. To import it anyway, …';
    expect(parseClassDifference(onlyExtra)).toEqual({ extra: ['bird'], lacking: [] });
    const onlyLacking = 'The model\'s classes differ from the project\'s: the project has "a, b", which the model lacks. To import it anyway, …';
    expect(parseClassDifference(onlyLacking)).toEqual({ extra: [], lacking: ['a, b'] });
  });

  it('is null for other refusals', () => {
    expect(parseClassDifference('The class map points at "x", which the project does not have')).toBeNull();
    expect(parseClassDifference('Not a model file.')).toBeNull();
  });
});

describe('mapping table', () => {
  it('presets a project class of the same name ignoring case, and needs every row filled', () => {
    const rows = mappingRows({ extra: ['Cat', 'fox'], lacking: ['dog'] }, ['cat', 'dog']);
    expect(rows).toEqual([
      { modelClass: 'Cat', projectClass: 'cat' },
      { modelClass: 'fox', projectClass: '' },
    ]);
    expect(mapClassesOf(rows)).toEqual({ missing: ['fox'] });
    rows[1]!.projectClass = 'dog';
    expect(mapClassesOf(rows)).toEqual({ map: { Cat: 'cat', fox: 'dog' } });
  });
});
