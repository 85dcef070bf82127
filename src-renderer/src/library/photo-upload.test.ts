import { describe, expect, it } from 'vitest';
import type { UploadFileParams, UploadStartParams } from '../../../src-main/api/types/photo-upload';
import { ApiCallError } from '../api/api-client';
import { fakeApi } from '../test-support/fake-api';
import { sendPhotos, type UploadProgress } from './photo-upload';
import type { PickedFile } from './picked-files';

const picked = (path: string, text: string): PickedFile => ({ path, file: new File([text], path.split('/').pop()!) });
const files = [picked('cats/a.jpg', 'aaaa'), picked('notes.txt', 'n'), picked('dogs/b.jpg', 'bb'), picked('dogs/c.jpg', 'cccccc')];

function server(fail: (params: UploadFileParams) => string | null = () => null) {
  return fakeApi({
    'library.uploadStart': (params: UploadStartParams) => ({
      uploadId: 'u1',
      accepted: [0, 2, 3],
      refused: [{ index: 1, path: params.files[1]!.path, reason: 'not a supported image type (.txt)' }],
      bytes: 12,
      folder: '/p/photos',
      limits: { fileBytes: 100, totalBytes: 1000, files: 10 },
    }),
    'library.uploadFile': (params) => {
      const reason = fail(params);
      if (reason) throw new ApiCallError({ code: 'bad-request', message: reason });
      return { path: `/p/photos/${files[params.index]!.path}`, stored: params.index === 3 ? 'identical' : 'new' };
    },
    'library.uploadFinish': () => ({ folder: '/p/photos', stored: { new: 2, renamed: 0, identical: 1 } }),
    'library.uploadCancel': () => ({ removed: 1 }),
  });
}

describe('sendPhotos', () => {
  it('announces every file, sends the accepted ones as base64 with progress, and finishes with the folder to import', async () => {
    const api = server();
    const seen: UploadProgress[] = [];
    let clock = 0;
    const outcome = await sendPhotos(api, files, false, { onProgress: (p) => seen.push(p), now: () => (clock += 500) });
    expect(api.calls[0]).toEqual({ name: 'library.uploadStart', params: { files: files.map((f) => ({ path: f.path, size: f.file.size })), allowSvg: false } });
    const sent = api.calls.filter((c) => c.name === 'library.uploadFile').map((c) => c.params as UploadFileParams);
    expect(sent.sort((a, b) => a.index - b.index)).toEqual([
      { uploadId: 'u1', index: 0, data: btoa('aaaa') },
      { uploadId: 'u1', index: 2, data: btoa('bb') },
      { uploadId: 'u1', index: 3, data: btoa('cccccc') },
    ]);
    expect(outcome).toEqual({ folder: '/p/photos', stored: { new: 2, renamed: 0, identical: 1 }, refused: [{ path: 'notes.txt', reason: 'not a supported image type (.txt)' }], cancelled: false });
    const last = seen[seen.length - 1]!;
    expect(last).toMatchObject({ files: 3, totalFiles: 3, bytes: 12, totalBytes: 12 });
    // The clock reads 0.5 s at the start and 0.5 s later after each of the three files.
    expect(last.bytesPerSecond).toBeCloseTo(12 / 1.5);
    expect(seen.some((p) => p.current === 'dogs/b.jpg')).toBe(true);
  });

  it('lists a file the server refuses while sending and goes on with the others', async () => {
    const outcome = await sendPhotos(server((p) => (p.index === 2 ? 'dogs/b.jpg changed while it was being sent' : null)), files, false);
    expect(outcome.refused.map((r) => r.path)).toEqual(['notes.txt', 'dogs/b.jpg']);
    expect(outcome.folder).toBe('/p/photos');
  });

  it('stops after the files in flight on Cancel and has the server remove what was sent', async () => {
    const abort = new AbortController();
    const api = server((p) => {
      if (p.index === 0) abort.abort();
      return null;
    });
    const outcome = await sendPhotos(api, files, false, { signal: abort.signal });
    // Two files are in flight at once: the one that saw the cancel and the one beside it; the third is never sent.
    expect(api.calls.filter((c) => c.name === 'library.uploadFile').map((c) => (c.params as UploadFileParams).index).sort()).toEqual([0, 2]);
    expect(api.calls.map((c) => c.name)).toContain('library.uploadCancel');
    expect(api.calls.map((c) => c.name)).not.toContain('library.uploadFinish');
    expect(outcome).toMatchObject({ folder: null, cancelled: true });
  });
});

describe('sendPhotos when the upload is gone', () => {
  it('stops and says so when the server no longer knows the upload', async () => {
    const api = server(() => null);
    api.handlers['library.uploadFile'] = () => {
      throw new ApiCallError({ code: 'not-found', message: 'This upload is over (finished, cancelled, or idle for 30 minutes); drop the photos again.' });
    };
    await expect(sendPhotos(api, files, false)).rejects.toThrow('This upload is over');
    expect(api.calls.map((c) => c.name)).not.toContain('library.uploadFinish');
  });
});
