import { expect, test } from '@playwright/test';
import { WebSocket } from 'ws';
import type { WsServerMessage } from '../src-main/api/contract';
import type { JobInfo } from '../src-main/api/types/jobs';
import { serveNewProject, type ServedProject } from './support/graft-serve';
import { generatePhotos } from './support/photos';
import { removeTempDirs } from './support/temp-dirs';

let served: ServedProject;
let photos: string;
test.beforeAll(async () => {
  photos = await generatePhotos(400, 160);
  served = await serveNewProject();
});
test.afterAll(async () => {
  await served.stop();
  removeTempDirs();
});

/** Calls the contract over a second WebSocket client, as another browser tab would. */
async function callOverSecondClient<T>(name: string, params?: unknown): Promise<T> {
  const ws = new WebSocket(`${served.origin.replace('http', 'ws')}/ws?token=${served.token}`, { headers: { origin: served.origin } });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const reply = new Promise<WsServerMessage>((resolve) => ws.on('message', (data) => resolve(JSON.parse(String(data)) as WsServerMessage)));
  ws.send(JSON.stringify({ kind: 'call', id: 1, name, params }));
  const message = await reply;
  ws.close();
  if (message.kind !== 'reply' || !message.reply.ok) throw new Error(`call ${name} failed: ${JSON.stringify(message)}`);
  return message.reply.value as T;
}

test('a reloaded page reattaches to a running import: live counts, pause, resume and a working Cancel', async ({ page }) => {
  await page.goto(served.url);
  await page.getByTestId('import-folder').fill(photos);
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-progress')).toBeVisible();
  await page.getByTestId('import-pause').click();
  await expect(page.getByTestId('import-pause')).toHaveText('Resume');

  // Another client sees the same import with jobs.list.
  const listed = await callOverSecondClient<JobInfo[]>('jobs.list');
  const running = listed.find((job) => job.kind === 'import');
  expect(running).toMatchObject({ status: 'paused', params: { folder: photos } });

  await page.reload();
  const progress = page.getByTestId('import-progress');
  await expect(progress).toBeVisible();
  await expect(page.getByTestId('import-folder')).toHaveValue(photos);
  await expect(page.getByTestId('import-pause')).toHaveText('Resume');
  await expect(progress.getByTestId('job-done')).toContainText('/ 400 images');
  const before = Number((await progress.getByTestId('job-done').innerText()).split(' / ')[0]!.replace(/,/g, ''));

  await page.getByTestId('import-pause').click();
  await expect(page.getByTestId('import-pause')).toHaveText('Pause');
  await expect
    .poll(async () => Number((await progress.getByTestId('job-done').innerText()).split(' / ')[0]!.replace(/,/g, '')), { timeout: 20_000 })
    .toBeGreaterThan(before);
  // The header counts follow the batches as they commit, pushed by the import (no polling).
  await expect.poll(async () => Number((await page.getByTestId('count-total').innerText()).replace(/,/g, '')), { timeout: 20_000 }).toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/jobs-reattached-import.png' });

  await page.getByTestId('import-cancel').click();
  await expect(page.getByTestId('import-result')).toBeVisible({ timeout: 30_000 });
  const ended = (await callOverSecondClient<JobInfo>('jobs.get', { jobId: running!.id })).status;
  expect(['cancelled', 'succeeded']).toContain(ended);
  if (ended === 'cancelled') await expect(page.getByTestId('import-cancelled')).toBeVisible();
});
