import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../library/library-fixtures';
import { UploadSessions } from './upload-sessions';

let tmp: TempDir;
let photos: string;
const limits = { fileBytes: 4096, totalBytes: 10_000, files: 5 };
const b64 = (text: string) => Buffer.from(text).toString('base64');

beforeEach(() => {
  tmp = makeTempDir('graft-upload-sessions-');
  photos = path.join(tmp.dir, 'project', 'photos');
});
afterEach(() => tmp.cleanup());

describe('UploadSessions', () => {
  it('plans, writes each accepted file and finishes with the folder to import', async () => {
    const uploads = new UploadSessions({ limits });
    const plan = await uploads.start(photos, { files: [{ path: 'cats/a.jpg', size: 5 }, { path: 'readme.md', size: 3 }, { path: 'dogs/b.png', size: 5 }] });
    expect(plan).toMatchObject({ accepted: [0, 2], bytes: 10, folder: photos, refused: [{ index: 1, path: 'readme.md' }], limits });
    expect(await uploads.file(plan.uploadId, 0, b64('cat a'))).toEqual({ path: path.join(photos, 'cats', 'a.jpg'), stored: 'new' });
    await uploads.file(plan.uploadId, 2, b64('dog b'));
    await expect(uploads.file(plan.uploadId, 1, b64('abc'))).rejects.toMatchObject({ code: 'bad-request', message: 'File 1 is not one this upload accepted.' });
    expect(uploads.finish(plan.uploadId)).toEqual({ folder: photos, stored: { new: 2, renamed: 0, identical: 0 } });
    await expect(uploads.file(plan.uploadId, 0, b64('cat a'))).rejects.toMatchObject({ code: 'not-found', message: expect.stringContaining('This upload is over') });
  });

  it('refuses a file whose bytes differ from what was announced, and more than a file may hold', async () => {
    const uploads = new UploadSessions({ limits });
    const plan = await uploads.start(photos, { files: [{ path: 'a.jpg', size: 5 }] });
    await expect(uploads.file(plan.uploadId, 0, b64('1234'))).rejects.toMatchObject({ message: expect.stringContaining('changed while it was being sent (5 bytes announced, 4 received)') });
    await expect(uploads.file(plan.uploadId, 0, b64('123456789'))).rejects.toMatchObject({ message: expect.stringContaining('(5 bytes announced, 9 received)') });
    await expect(uploads.file(plan.uploadId, 0, b64('x'.repeat(5000)))).rejects.toMatchObject({ message: 'a.jpg is larger than 4 KB; give its path on the server instead.' });
    expect(fs.existsSync(photos)).toBe(false);
  });

  it('refuses a whole upload over the total size, the file count, or the free disk space, with what to do', async () => {
    const uploads = new UploadSessions({ limits, freeBytes: async () => 100 * 1024 * 1024 });
    const many = Array.from({ length: 6 }, (_, i) => ({ path: `p${i}.jpg`, size: 10 }));
    await expect(uploads.start(photos, { files: many })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('That is 6 files; one upload takes at most 5.') });
    const big = Array.from({ length: 3 }, (_, i) => ({ path: `p${i}.jpg`, size: 4000 }));
    await expect(uploads.start(photos, { files: big })).rejects.toMatchObject({
      message: 'These photos hold 12 KB, over the 10 KB one upload may hold. Send fewer folders at a time, or copy them to the server and import the folder by path.',
    });
    await expect(uploads.start(photos, { files: [{ path: 'a.jpg', size: 10 }] })).rejects.toMatchObject({ code: 'io', message: expect.stringContaining("The server's disk has 100 MB free") });
  });

  it('cancel removes what the upload wrote and keeps what was there before', async () => {
    const uploads = new UploadSessions({ limits });
    fs.mkdirSync(path.join(photos, 'cats'), { recursive: true });
    fs.writeFileSync(path.join(photos, 'cats', 'a.jpg'), 'cat a');
    const plan = await uploads.start(photos, { files: [{ path: 'cats/a.jpg', size: 5 }, { path: 'cats/b.jpg', size: 5 }, { path: 'dogs/c.jpg', size: 5 }] });
    expect((await uploads.file(plan.uploadId, 0, b64('cat a'))).stored).toBe('identical');
    await uploads.file(plan.uploadId, 1, b64('cat b'));
    await uploads.file(plan.uploadId, 2, b64('dog c'));
    expect(await uploads.cancel(plan.uploadId)).toEqual({ removed: 2 });
    expect(fs.readdirSync(photos)).toEqual(['cats']);
    expect(fs.readdirSync(path.join(photos, 'cats'))).toEqual(['a.jpg']);
  });

  it('forgets an upload idle for half an hour', async () => {
    let now = 0;
    const uploads = new UploadSessions({ limits, now: () => now });
    const plan = await uploads.start(photos, { files: [{ path: 'a.jpg', size: 5 }] });
    now = 31 * 60 * 1000;
    await expect(uploads.file(plan.uploadId, 0, b64('12345'))).rejects.toMatchObject({ code: 'not-found' });
  });
});
