import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ParamsOf, RequestName, ResultOf } from '../../api/contract';
import type { JobInfoOf } from '../../api/types/jobs';
import { createAppServices, type AppServices } from '../app-services';
import { makeImage, makeTempDir, type TempDir } from '../library/library-fixtures';

let tmp: TempDir;
let services: AppServices;

async function call<N extends RequestName>(name: N, params?: ParamsOf<N>): Promise<ResultOf<N>> {
  const reply = await services.dispatcher.dispatch(name, params);
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
  return reply.value as ResultOf<N>;
}

async function imported(folder: string): Promise<JobInfoOf<'import'>> {
  const { jobId } = await call('library.import', { folder, labelsFromSubfolders: true });
  return (await services.ctx.jobs.settled(jobId)) as JobInfoOf<'import'>;
}

beforeEach(() => {
  tmp = makeTempDir('graft-transfer-api-');
  services = createAppServices({
    mode: 'serve',
    lazyEngine: true,
    spawnEngine: () => {
      throw new Error('no engine in this test');
    },
    logError: () => undefined,
  });
  services.ctx.session.create(path.join(tmp.dir, 'project'));
});
afterEach(async () => {
  await services.dispose();
  tmp.cleanup();
});

describe('photos sent from a browser page', () => {
  it('land in the project photos folder with their folders, and import with those folders as classes', async () => {
    const photos = [await makeImage('jpeg', 1), await makeImage('png', 2), await makeImage('jpeg', 3)];
    const files = [
      { path: 'cats/one.jpg', size: photos[0]!.length },
      { path: 'dogs/two.png', size: photos[1]!.length },
      { path: 'dogs/notes.txt', size: 4 },
      { path: 'three.jpg', size: photos[2]!.length },
    ];
    const plan = await call('library.uploadStart', { files });
    expect(plan.accepted).toEqual([0, 1, 3]);
    expect(plan.refused).toEqual([{ index: 2, path: 'dogs/notes.txt', reason: 'not a supported image type (.txt)' }]);
    for (const [n, index] of plan.accepted.entries()) await call('library.uploadFile', { uploadId: plan.uploadId, index, data: photos[n]!.toString('base64') });
    const finished = await call('library.uploadFinish', { uploadId: plan.uploadId });
    expect(finished).toEqual({ folder: path.join(tmp.dir, 'project', 'photos'), stored: { new: 3, renamed: 0, identical: 0 } });
    const job = await imported(finished.folder);
    expect(job.result).toMatchObject({ added: 3, classes: { cats: 1, dogs: 1 } });

    // Sent again, the same bytes are found in place; a different photo under a taken name gets a free one.
    const again = await call('library.uploadStart', { files: [files[0]!] });
    expect((await call('library.uploadFile', { uploadId: again.uploadId, index: 0, data: photos[0]!.toString('base64') })).stored).toBe('identical');
    await call('library.uploadFinish', { uploadId: again.uploadId });
    const other = await call('library.uploadStart', { files: [{ path: 'cats/one.jpg', size: photos[1]!.length }] });
    const renamed = await call('library.uploadFile', { uploadId: other.uploadId, index: 0, data: photos[1]!.toString('base64') });
    expect(renamed).toEqual({ path: path.join(finished.folder, 'cats', 'one (2).jpg'), stored: 'renamed' });
    expect(await call('library.uploadCancel', { uploadId: other.uploadId })).toEqual({ removed: 1 });
    expect(fs.readdirSync(path.join(finished.folder, 'cats'))).toEqual(['one.jpg']);
  });

  it('refuses names that climb out, and uploads while an import runs', async () => {
    const plan = await call('library.uploadStart', { files: [{ path: '../../escape.jpg', size: 10 }, { path: '/etc/x.jpg', size: 10 }] });
    expect(plan.accepted).toEqual([]);
    expect(plan.refused.map((r) => r.reason)).toEqual(['its path climbs out of its folder (..)', 'is an absolute path; only paths inside what was dropped are taken']);
    const folder = path.join(tmp.dir, 'big');
    fs.mkdirSync(folder);
    for (let i = 0; i < 40; i++) fs.writeFileSync(path.join(folder, `p${i}.jpg`), await makeImage('jpeg', i));
    const { jobId } = await call('library.import', { folder });
    await expect(call('library.uploadStart', { files: [{ path: 'a.jpg', size: 10 }] })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('An import is running') });
    await services.ctx.jobs.settled(jobId);
  });
});

describe('the folder browser', () => {
  it('lists the folders imported into the project before', async () => {
    const folder = path.join(tmp.dir, 'holiday');
    fs.mkdirSync(path.join(folder, 'beach'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'beach', 'a.jpg'), await makeImage('jpeg', 7));
    await imported(folder);
    const listing = await call('library.browse', { path: tmp.dir });
    expect(listing.recent).toEqual([{ path: folder, importedAt: expect.any(String), exists: true }]);
    expect(listing.folders.find((f) => f.name === 'holiday')).toMatchObject({ kind: 'folder', images: 0 });
    await expect(call('library.browse', { path: path.join(tmp.dir, 'none') })).rejects.toMatchObject({ code: 'not-found' });
  });
});
