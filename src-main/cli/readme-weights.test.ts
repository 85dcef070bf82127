import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARCH_NAMES } from '../api/model-catalog';
import { packageRoot } from './app-paths';
import { imagenetWeightsLocation } from './offline-weights';

const readme = fs.readFileSync(path.join(packageRoot(), 'README.md'), 'utf8');

describe('the README\'s table of ImageNet weight files for offline machines', () => {
  it('lists exactly the files and addresses the download code uses, each link named after its file', () => {
    const links = [...readme.matchAll(/\[`([^`]+\.h5)`\]\((https:\/\/storage\.googleapis\.com\/tensorflow\/keras-applications\/[^)]+)\)/g)];
    for (const [, name, url] of links) expect(url!.endsWith(`/${name}`), url).toBe(true);
    const expected = ARCH_NAMES.flatMap((arch) => [true, false].map((includeTop) => imagenetWeightsLocation({ arch, includeTop }, '/cache').url));
    expect(links.map(([, , url]) => url).sort()).toEqual(expected.sort());
  });

  it('names the cache folder the command line uses and the --weights way round it', () => {
    const text = readme.replace(/\s+/g, ' ');
    expect(text).toContain('`~/.cache/graft/models/` (`$GRAFT_CACHE_DIR` when set, else `$XDG_CACHE_HOME/graft/models`)');
    expect(text).toContain('`--weights FILE`');
  });
});
