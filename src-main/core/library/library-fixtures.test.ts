import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanUp, makeProject, makeTempDir } from './library-fixtures';

describe('test clean-up', () => {
  it('removes the temporary directory, locked folders included, even when nothing was opened yet', () => {
    const tmp = makeTempDir();
    fs.mkdirSync(path.join(tmp.dir, 'locked'));
    fs.writeFileSync(path.join(tmp.dir, 'locked', 'x.jpg'), 'x');
    fs.chmodSync(path.join(tmp.dir, 'locked'), 0);
    cleanUp(tmp, undefined);
    expect(fs.existsSync(tmp.dir)).toBe(false);
  });

  it('closes the projects, and removes the directory even when closing one fails', () => {
    const tmp = makeTempDir();
    const project = makeProject(tmp);
    cleanUp(tmp, project);
    expect(project.db.open).toBe(false);
    expect(fs.existsSync(tmp.dir)).toBe(false);

    const again = makeTempDir();
    const broken = makeProject(again);
    broken.dispose = () => {
      throw new Error('close failed');
    };
    expect(() => cleanUp(again, broken)).toThrow(/close failed/);
    expect(fs.existsSync(again.dir)).toBe(false);
    broken.db.close();
  });
});
