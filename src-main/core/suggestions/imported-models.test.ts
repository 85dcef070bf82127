import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PreprocessingSpec } from '../../api/types/export';
import type { PredictModelInfo } from '../../api/types/predict';
import { cleanUp, makeProject, makeTempDir, type TempDir } from '../library/library-fixtures';
import type { Project } from '../project/project';
import { classMapFor, getImportedModel, listImportedModels, modelsFolder, registerImportedModel, removeImportedModel } from './imported-models';

const SPEC: PreprocessingSpec = { width: 32, height: 32, resize: 'stretch', interpolation: 'bilinear', exifOrientation: true, alpha: 'drop', channelOrder: 'RGB', layout: 'NHWC', dtype: 'float32', mode: 'unit', scale: 1 / 255, offset: 0, mean: [0, 0, 0], std: [1, 1, 1] };

describe('classMapFor', () => {
  it('maps identical class lists in any order to themselves', () => {
    expect(classMapFor(['dog', 'cat'], ['cat', 'dog'])).toEqual({ dog: 'dog', cat: 'cat' });
  });

  it('refuses different classes, naming the difference both ways', () => {
    expect(() => classMapFor(['cat', 'dog', 'fox'], ['cat', 'dog', 'bird'])).toThrow(
      expect.objectContaining({
        code: 'bad-request',
        message: expect.stringMatching(/the model has "fox", which the project lacks; the project has "bird", which the model lacks\. .*mapClasses/),
      }),
    );
    expect(() => classMapFor(['cat'], ['cat', 'dog'])).toThrow(/the project has "dog", which the model lacks/);
  });

  it('maps through mapClasses, and refuses a map with unknown names or classes left without a place', () => {
    expect(classMapFor(['Cat', 'Dog', 'fox'], ['cat', 'dog', 'bird'], { Cat: 'cat', Dog: 'dog', fox: 'dog' })).toEqual({ Cat: 'cat', Dog: 'dog', fox: 'dog' });
    // Names that already match need no entry; project classes the model lacks are allowed once the user maps.
    expect(classMapFor(['cat', 'Hound'], ['cat', 'dog', 'bird'], { Hound: 'dog' })).toEqual({ cat: 'cat', Hound: 'dog' });
    expect(() => classMapFor(['cat', 'fox'], ['cat', 'dog'], { Fox: 'dog' })).toThrow(/names "Fox", which the model does not have/);
    expect(() => classMapFor(['cat', 'fox'], ['cat', 'dog'], { fox: 'wolf' })).toThrow(/points at "wolf", which the project does not have/);
    expect(() => classMapFor(['cat', 'fox', 'owl'], ['cat', 'dog'], { fox: 'dog' })).toThrow(/classes "owl" are not in the project/);
  });
});

describe('imported models', () => {
  let tmp: TempDir;
  let project: Project;
  let info: PredictModelInfo;
  let source: string;

  beforeEach(() => {
    tmp = makeTempDir();
    project = makeProject(tmp);
    source = path.join(tmp.dir, 'export');
    fs.mkdirSync(path.join(source, 'shards'), { recursive: true });
    fs.writeFileSync(path.join(source, 'model.json'), '{"weightsManifest": [{"paths": ["shards/w.bin"]}]}');
    fs.writeFileSync(path.join(source, 'shards', 'w.bin'), 'weights');
    fs.writeFileSync(path.join(source, 'README.md'), 'not part of the model');
    const files = ['model.json', 'shards/w.bin'].map((f) => path.join(source, f));
    info = { format: 'tfjs', file: path.join(source, 'model.json'), files, classes: ['Cat', 'dog'], preprocessing: SPEC, assumptions: ['an assumption'] };
  });

  afterEach(() => cleanUp(tmp, project));

  it('copies the model files into models/, describing the copy with labels.json and preprocessing.json', async () => {
    const model = await registerImportedModel(project, info, { path: source }, { Cat: 'cat', dog: 'dog' });
    const dir = path.join(modelsFolder(project), `model-${model.id}`);
    expect(model).toMatchObject({ name: 'export', format: 'tfjs', copied: true, path: path.join(dir, 'model.json'), classes: ['Cat', 'dog'], classMap: { Cat: 'cat', dog: 'dog' }, assumptions: ['an assumption'], sourcePath: source });
    expect(fs.readdirSync(dir).sort()).toEqual(['labels.json', 'model.json', 'preprocessing.json', 'shards']);
    expect(fs.readFileSync(path.join(dir, 'shards', 'w.bin'), 'utf8')).toBe('weights');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'labels.json'), 'utf8'))).toEqual({ classes: ['Cat', 'dog'] });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'preprocessing.json'), 'utf8'))).toEqual(SPEC);
    expect(listImportedModels(project).map((m) => m.id)).toEqual([model.id]);
    await removeImportedModel(project, model.id);
    expect(fs.existsSync(dir)).toBe(false);
    expect(fs.existsSync(info.file)).toBe(true);
    expect(() => getImportedModel(project, model.id)).toThrow(/no imported model/);
  });

  it('refers to a model where it is when asked, and never deletes the original', async () => {
    const model = await registerImportedModel(project, info, { path: info.file, copy: false, name: 'Mine' }, { Cat: 'cat', dog: 'dog' });
    expect(model).toMatchObject({ name: 'Mine', copied: false, path: info.file });
    await removeImportedModel(project, model.id);
    expect(fs.existsSync(info.file)).toBe(true);
  });

  it('leaves no row and no folder when the copy fails', async () => {
    const broken = { ...info, files: [...info.files, path.join(source, 'missing.bin')] };
    await expect(registerImportedModel(project, broken, { path: source }, {})).rejects.toMatchObject({ code: 'io' });
    expect(listImportedModels(project)).toEqual([]);
    expect(fs.existsSync(modelsFolder(project)) ? fs.readdirSync(modelsFolder(project)) : []).toEqual([]);
  });
});
