import { expect, test } from '@playwright/test';
import { WebSocket } from 'ws';
import { graft, serveNewProject, type ServedProject } from './support/graft-serve';
import { removeTempDirs } from './support/temp-dirs';

let served: ServedProject;
test.beforeAll(async () => {
  served = await serveNewProject();
});
test.afterAll(async () => {
  await served.stop();
  removeTempDirs();
});

test('the page loads with the token and shows the project and the engine backend', async ({ page }) => {
  await page.goto(served.url);
  await expect(page.getByTestId('project-name')).toHaveText('project');
  await expect(page.getByTestId('engine-state')).toHaveText(/Engine: ready · (wasm|cpu|tensorflow)/, { timeout: 30_000 });
  await page.getByTestId('nav-train').click();
  await expect(page.getByRole('heading', { name: 'Fine-tune a classifier', level: 1 })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Fine-tune a classifier', level: 1 })).toBeVisible();
});

test('the page is refused without the token', async ({ page }) => {
  const response = await page.goto(served.origin + '/');
  expect(response?.status()).toBe(401);
  await expect(page.locator('body')).toContainText('Unauthorized');
  const wrong = await page.request.get(served.origin + '/?token=nope');
  expect(wrong.status()).toBe(401);
});

test('the WebSocket is refused without the token', async () => {
  const status = await new Promise<number>((resolve) => {
    const ws = new WebSocket(served.origin.replace('http', 'ws') + '/ws');
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('open', () => resolve(101));
  });
  expect(status).toBe(401);
});

test('doctor reports the wasm or cpu backend here', () => {
  const report = JSON.parse(graft('doctor', '--json'));
  expect(['wasm', 'cpu', 'tensorflow']).toContain(report.backend);
  expect(report).toHaveProperty('electron');
});
