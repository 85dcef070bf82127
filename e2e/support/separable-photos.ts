import fs from 'node:fs';
import path from 'node:path';
import { writeSeparableDataset } from '../../src-main/engine/training/test-support/separable-images';
import { makeTempDir } from './temp-dirs';

/**
 * A folder of generated photos in one subfolder per class (a colour family each, noisy,
 * with a darker patch), so an import with labels from subfolders gives a labelled project
 * that a small network learns in a few epochs.
 */
export async function generateSeparablePhotos(classNames: readonly string[], perClass: number, size = 64): Promise<string> {
  const root = makeTempDir('graft-e2e-separable-');
  const dataset = await writeSeparableDataset(path.join(root, 'flat'), { classes: classNames.length, perClass, size });
  const photos = path.join(root, 'photos');
  for (const image of dataset.images) {
    const target = path.join(photos, classNames[image.label]!, path.basename(image.path));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(image.path, target);
  }
  return photos;
}
