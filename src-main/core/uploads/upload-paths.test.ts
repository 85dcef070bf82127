import { describe, expect, it } from 'vitest';
import { checkUploadFiles, uploadPathParts, type UploadLimits } from './upload-paths';

const limits: UploadLimits = { fileBytes: 2048, totalBytes: 8192, files: 10 };

describe('uploadPathParts', () => {
  it('keeps a relative path as its folders and name, unchanged', () => {
    expect(uploadPathParts('animals/cats/tabby 1.jpg')).toEqual({ parts: ['animals', 'cats', 'tabby 1.jpg'] });
    expect(uploadPathParts('ünïcødé/名前.png')).toEqual({ parts: ['ünïcødé', '名前.png'] });
  });

  it.each([
    ['../escape.jpg', /climbs out/],
    ['cats/../../etc/passwd.jpg', /climbs out/],
    ['/etc/cron.d/x.jpg', /absolute path/],
    ['C:/Windows/x.jpg', /absolute path/],
    ['cats\\..\\x.jpg', /backslash/],
    ['cats/x\0.jpg', /control character/],
    ['cats/x\n.jpg', /control character/],
    ['cats//x.jpg', /empty or "\." part/],
    ['./x.jpg', /empty or "\." part/],
    ['cats/', /empty or "\." part/],
    ['', /no name/],
    [`${'a'.repeat(256)}.jpg`, /longer than 255 bytes/],
    [`${'d/'.repeat(40)}x.jpg`, /more than 32 folders deep/],
    ['.graft-upload-abc.part', /Graft's own/],
  ])('refuses %j', (relative, reason) => {
    const checked = uploadPathParts(relative);
    expect('reason' in checked && checked.reason).toMatch(reason);
  });
});

describe('checkUploadFiles', () => {
  it('takes photos within the limits and refuses the others one by one, with reasons', () => {
    const checked = checkUploadFiles(
      [
        { path: 'cats/a.jpg', size: 100 },
        { path: 'cats/notes.txt', size: 10 },
        { path: 'cats/empty.png', size: 0 },
        { path: 'cats/huge.jpg', size: 3000 },
        { path: 'dogs/b.webp', size: 200 },
        { path: 'cats/a.jpg', size: 100 },
        { path: 'logo.svg', size: 50 },
        { path: '../x.jpg', size: 5 },
      ],
      false,
      limits,
    );
    expect(checked.accepted.map((file) => file.index)).toEqual([0, 4]);
    expect(checked.accepted[1]!.parts).toEqual(['dogs', 'b.webp']);
    expect(checked.bytes).toBe(300);
    expect(Object.fromEntries(checked.refused.map((r) => [r.index, r.reason]))).toEqual({
      1: 'not a supported image type (.txt)',
      2: 'empty file',
      3: '3 KB, over the 2 KB a browser may send per file; copy it to the server and import its folder by path',
      5: 'listed twice in this upload',
      6: expect.stringContaining('SVG import is off'),
      7: expect.stringContaining('climbs out'),
    });
  });

  it('takes SVG files when SVG import is on', () => {
    expect(checkUploadFiles([{ path: 'logo.svg', size: 50 }], true, limits).accepted).toHaveLength(1);
  });
});
