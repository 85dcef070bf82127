import { expect, test } from '@playwright/test';
import { graft, newProject, serveNewProject, type ServedProject } from './support/graft-serve';
import { removeTempDirs } from './support/temp-dirs';
import { generatePhotos } from './support/photos';

const COUNT = 10_000;
let served: ServedProject;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  const project = newProject();
  const summary = JSON.parse(graft('import', project, await generatePhotos(COUNT, 48), '--json'));
  expect(summary.added).toBe(COUNT);
  served = await serveNewProject(project);
});
test.afterAll(async () => {
  await served.stop();
  removeTempDirs();
});

test('a 10,000-image project scrolls to the end, rendering only what is on screen', async ({ page }) => {
  await page.goto(served.url + '#/label');
  await expect(page.getByTestId('grid-total')).toHaveText(`${COUNT.toLocaleString('en-US')} images`);
  const rendered = await page.getByTestId('grid-cell').count();
  expect(rendered).toBeLessThan(200);
  await page.getByTestId('image-grid').click({ position: { x: 60, y: 60 } });
  await page.keyboard.press('End');
  const last = page.locator(`[data-testid="grid-cell"][data-index="${COUNT - 1}"]`);
  await expect(last).toBeInViewport();
  await expect(last.locator('img')).toHaveJSProperty('complete', true);
  expect(await page.getByTestId('grid-cell').count()).toBeLessThan(200);
  // Wheel scrolling back up half way still fills the view with real cells, not placeholders.
  await page.getByTestId('image-grid').evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
  await expect(page.locator('[data-testid="grid-cell"] img').first()).toBeVisible();
});
