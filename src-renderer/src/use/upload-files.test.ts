import { describe, expect, it } from 'vitest';
import { fakeApi } from '../test-support/fake-api';
import { base64Of, MAX_UPLOAD_BYTES, uploadFiles, uploadRefusal } from './upload-files';

describe('uploadRefusal', () => {
  it('sends photos up to 12 MB and refuses the rest with a reason', () => {
    expect(uploadRefusal({ name: 'a.jpg', size: 1000, type: 'image/jpeg' })).toBeNull();
    expect(uploadRefusal({ name: 'scan.TIF', size: 1000, type: '' })).toBeNull();
    expect(uploadRefusal({ name: 'notes.txt', size: 10, type: 'text/plain' })).toMatch(/not a photo/);
    expect(uploadRefusal({ name: 'a.png', size: 0, type: 'image/png' })).toBe('empty');
    expect(uploadRefusal({ name: 'big.jpg', size: MAX_UPLOAD_BYTES + 1, type: 'image/jpeg' })).toMatch(/^12\.0 MB, over the 12 MB/);
  });
});

describe('uploadFiles', () => {
  it('sends each photo as base64 and returns its server path; refused and failed files are listed', async () => {
    const api = fakeApi({
      'predict.upload': ({ fileName, data }) => {
        if (fileName === 'broken.png') throw new Error('broken.png is empty.');
        return { path: `/tmp/uploads/${fileName}:${atob(data)}` };
      },
    });
    const files = [
      new File(['hello'], 'a.jpg', { type: 'image/jpeg' }),
      new File(['x'], 'notes.txt', { type: 'text/plain' }),
      new File(['y'], 'broken.png', { type: 'image/png' }),
    ];
    const seen: number[] = [];
    const outcome = await uploadFiles(api, files, (_, index) => seen.push(index));
    expect(outcome.uploaded.map((u) => u.path)).toEqual(['/tmp/uploads/a.jpg:hello']);
    expect(outcome.refused).toEqual([
      { name: 'notes.txt', reason: 'not a photo (by its type and name)' },
      { name: 'broken.png', reason: 'broken.png is empty.' },
    ]);
    expect(seen).toEqual([0]);
  });

  it('encodes bytes past one chunk exactly', async () => {
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 7) % 256);
    const encoded = await base64Of(new Blob([bytes]));
    expect(Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0))).toEqual(bytes);
  });
});
