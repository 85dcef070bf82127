import { makeTempDir } from './temp-dirs';
import { makeBaseJpegs, writePhotoFolder } from '../../src-main/core/library/library-fixtures';

/** Writes `count` distinct small JPEGs (unique bytes each) under a fresh folder and returns it. */
export async function generatePhotos(count: number, size = 96): Promise<string> {
  const root = makeTempDir('graft-e2e-photos-');
  const bases = await makeBaseJpegs(6, size, Math.round(size * 0.75));
  writePhotoFolder(root, bases, count, 500);
  return root;
}
