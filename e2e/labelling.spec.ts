import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { graft, serveNewProject, type ServedProject } from './support/graft-serve';
import { removeTempDirs } from './support/temp-dirs';
import { generatePhotos } from './support/photos';

let served: ServedProject;
let photos: string;
test.beforeAll(async () => {
  photos = await generatePhotos(30);
  fs.writeFileSync(path.join(photos, 'broken.jpg'), 'this is not a jpeg');
  served = await serveNewProject();
});
test.afterAll(async () => {
  await served.stop();
  removeTempDirs();
});

const cell = (page: Page, index: number) => page.locator(`[data-testid="grid-cell"][data-index="${index}"]`);

async function addClass(page: Page, name: string): Promise<void> {
  await page.getByTestId('new-class-name').fill(name);
  await page.getByTestId('new-class-add').click();
  await expect(page.getByTestId(`class-${name}`)).toBeVisible();
}

test('import a folder in the Library view; the bad file is listed as skipped', async ({ page }) => {
  await page.goto(served.url);
  await page.getByTestId('import-folder').fill(photos);
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-result')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('import-count-added')).toContainText('30');
  await expect(page.getByTestId('import-count-skipped')).toContainText('1');
  await expect(page.getByTestId('import-skipped')).toContainText('broken.jpg');
  await expect(page.getByTestId('count-total')).toHaveText('30');
});

test('label with the keyboard, bulk-label a range, undo, and keep labels after a reload', async ({ page }) => {
  await page.goto(served.url);
  await page.getByTestId('nav-label').click();
  await expect(page.getByTestId('grid-total')).toHaveText('30 images');
  await addClass(page, 'cat');
  await addClass(page, 'dog');

  // Keyboard: focus the first image, press 1 → "cat", auto-advance to the next, press 2 → "dog".
  await cell(page, 0).click();
  await page.keyboard.press('1');
  await expect(cell(page, 0).getByTestId('cell-label')).toHaveText('cat');
  await page.keyboard.press('2');
  await expect(cell(page, 1).getByTestId('cell-label')).toHaveText('dog');

  // Bulk: click image 5, shift-click image 14 → 10 selected, press 2.
  await cell(page, 5).click();
  await cell(page, 14).click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('selected-count')).toHaveText('· 10 selected');
  await page.keyboard.press('2');
  await expect(page.getByTestId('class-dog').getByTestId('class-count')).toHaveText('11');
  for (const i of [5, 9, 14]) await expect(cell(page, i).getByTestId('cell-label')).toHaveText('dog');

  // Undo the bulk label: the ten go back to unlabelled, the single "dog" stays.
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('class-dog').getByTestId('class-count')).toHaveText('1');
  await expect(cell(page, 9).getByTestId('cell-label')).toHaveCount(0);
  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByTestId('class-dog').getByTestId('class-count')).toHaveText('11');

  // Arrow keys move, 0 removes the label.
  await cell(page, 0).click();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('0');
  await expect(cell(page, 1).getByTestId('cell-label')).toHaveCount(0);

  await page.reload();
  await page.getByTestId('nav-label').click();
  await expect(page.getByTestId('class-cat').getByTestId('class-count')).toHaveText('1');
  await expect(page.getByTestId('class-dog').getByTestId('class-count')).toHaveText('10');
  await expect(cell(page, 0).getByTestId('cell-label')).toHaveText('cat');
  await expect(page.getByTestId('count-unlabelled')).toHaveText('19');

  // The labels are in the project database, as the CLI sees them.
  const csv = graft('labels', 'export', served.projectDir, '--csv', `${served.projectDir}/labels.csv`, '--json');
  expect(JSON.parse(csv)).toMatchObject({ csv: { labelled: 11 } });
});

test('select all within a filter and open the large view', async ({ page }) => {
  await page.goto(served.url + '#/label');
  await page.getByTestId('filter-unlabelled').click();
  await expect(page.getByTestId('grid-total')).toHaveText('19 images');
  await cell(page, 0).click();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('image-viewer')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+a');
  await expect(page.getByTestId('selected-count')).toHaveText('· 19 selected');
});
