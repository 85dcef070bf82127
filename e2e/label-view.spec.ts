import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { expect, test, type Page } from '@playwright/test';
import { graft, newProject, serveNewProject, type ServedProject } from './support/graft-serve';
import { generatePhotos } from './support/photos';
import { removeTempDirs } from './support/temp-dirs';
import { connectClient, type ContractClient } from './support/ws-client';

// The Label view as a new user finds it: keys that never act through a field, menu or dialog,
// keys that stay with their classes, a tenth class, the live filter, the large view's display copy.
test.describe.configure({ mode: 'serial' });

const PHOTOS = 40;
let served: ServedProject;
let client: ContractClient;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const photos = await generatePhotos(PHOTOS, 96);
  // A photo far larger than a screen: the viewer must not send it whole.
  const big = await sharp({ create: { width: 5000, height: 4000, channels: 3, background: { r: 40, g: 120, b: 200 } } })
    .composite([{ input: await sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 240, g: 200, b: 40 } } }).png().toBuffer(), left: 1900, top: 1550 }])
    .png()
    .toBuffer();
  fs.writeFileSync(path.join(photos, 'big-5000x4000.png'), big);
  const project = newProject();
  const summary = JSON.parse(graft('import', project, photos, '--json')) as { added: number };
  expect(summary.added).toBe(PHOTOS + 1);
  served = await serveNewProject(project);
  client = await connectClient(served);
});
test.afterAll(async () => {
  client.close();
  await served.stop();
  removeTempDirs();
});

const cell = (page: Page, index: number) => page.locator(`[data-testid="grid-cell"][data-index="${index}"]`);
const hotkeyOf = (page: Page, name: string) => page.getByTestId(`class-${name}`).getByTestId('class-hotkey');

async function openLabel(page: Page): Promise<void> {
  await page.goto(served.url + '#/label');
  await expect(page.getByTestId('grid-total')).toHaveText(`${PHOTOS + 1} images`);
}

test('a field opened from the class menu takes the keys: Ctrl+A, Enter and digits never reach the grid', async ({ page }) => {
  await client.call('classes.create', { name: 'cat' });
  await openLabel(page);
  await cell(page, 0).click();
  await page.getByTestId('class-cat').getByTestId('class-more').click();
  await expect(page.getByTestId('class-menu').locator(':focus')).toHaveCount(1);
  await page.getByTestId('class-menu-rename').click();
  await expect(page.getByTestId('class-rename-input')).toBeFocused();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('v2');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('class-v2')).toBeVisible();
  await expect(page.getByTestId('count-unlabelled')).toHaveText(String(PHOTOS + 1));
  await expect(page.getByTestId('selected-count')).toHaveText('· 1 selected');
  await expect(page.getByTestId('image-viewer')).toHaveCount(0);
  // With the field gone, the grid has the keys again.
  await page.keyboard.press('1');
  await expect(cell(page, 0).getByTestId('cell-label')).toHaveText('v2');
});

test('classes keep their keys after a merge; a key can be given to another class', async ({ page }) => {
  for (const name of ['b', 'c', 'd']) await client.call('classes.create', { name });
  await openLabel(page);
  await expect(hotkeyOf(page, 'd')).toHaveText('4');
  await page.getByTestId('class-b').getByTestId('class-more').click();
  await page.getByLabel('Merge b into').selectOption({ label: 'v2' });
  await page.getByTestId('class-menu').getByRole('button', { name: 'Merge' }).click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('class-b')).toHaveCount(0);
  await expect(hotkeyOf(page, 'c')).toHaveText('3');
  await expect(hotkeyOf(page, 'd')).toHaveText('4');
  await cell(page, 1).click();
  await page.keyboard.press('4');
  await expect(cell(page, 1).getByTestId('cell-label')).toHaveText('d');
  // A new class takes the lowest free key, the one b left.
  await page.getByTestId('new-class-name').fill('e');
  await page.getByTestId('new-class-add').click();
  await expect(hotkeyOf(page, 'e')).toHaveText('2');
  // Give d key 2: e takes 4 in exchange.
  await hotkeyOf(page, 'd').click();
  await expect(page.getByTestId('class-menu-hotkey')).toBeFocused();
  await page.getByTestId('class-menu-hotkey').selectOption('2');
  await expect(hotkeyOf(page, 'd')).toHaveText('2');
  await expect(hotkeyOf(page, 'e')).toHaveText('4');
});

test('a tenth class is labelled through the class picker and the tile menu', async ({ page }) => {
  for (const name of ['f', 'g', 'h', 'i', 'j', 'k', 'great crested grebe']) await client.call('classes.create', { name });
  await openLabel(page);
  await expect(hotkeyOf(page, 'great crested grebe')).toHaveText('·');
  await cell(page, 5).click();
  await page.keyboard.press('c');
  await expect(page.getByTestId('class-picker-input')).toBeFocused();
  await expect(page.getByTestId('class-picker-input')).toHaveValue('');
  await page.keyboard.type('crest');
  await expect(page.getByTestId('class-picker-row').first()).toContainText('great crested grebe');
  await page.keyboard.press('Enter');
  await expect(cell(page, 5).getByTestId('cell-label')).toHaveText('great crested grebe');
  await expect(page.getByTestId('label-message')).toHaveText('Labelled 1 image as “great crested grebe”');

  await cell(page, 7).click({ button: 'right' });
  await expect(page.getByTestId('tile-menu')).toBeVisible();
  await expect(page.getByTestId('tile-menu').locator(':focus')).toHaveCount(1);
  await page.getByTestId('tile-menu-class').filter({ hasText: 'great crested grebe' }).click();
  await expect(cell(page, 7).getByTestId('cell-label')).toHaveText('great crested grebe');
  await expect(page.getByTestId('class-great crested grebe').getByTestId('class-count')).toHaveText('2');
});

test('the name filter applies while typing; an empty result says so', async ({ page }) => {
  await openLabel(page);
  await page.getByTestId('filter-name').pressSequentially('big-5000');
  await expect(page.getByTestId('grid-total')).toHaveText('1 image');
  await page.getByTestId('filter-name').pressSequentially('zzz');
  await expect(page.getByTestId('grid-total')).toHaveText('0 images');
  await expect(page.getByTestId('empty-state')).toContainText('No file name contains “big-5000zzz”');
  await page.getByTestId('clear-filter').click();
  await expect(page.getByTestId('grid-total')).toHaveText(`${PHOTOS + 1} images`);
});

test('the large view shows a 5000×4000 photo as a display copy of at most 2048 px, the original on demand, with zoom', async ({ page }) => {
  await openLabel(page);
  await page.getByTestId('filter-name').fill('big-5000');
  await expect(page.getByTestId('grid-total')).toHaveText('1 image');
  await cell(page, 0).dblclick();
  const image = page.getByTestId('viewer-image');
  await expect(image).toHaveJSProperty('complete', true);
  expect(await image.getAttribute('src')).toMatch(/^\/media\/display\/\d+$/);
  await expect(image).toHaveJSProperty('naturalWidth', 2048);
  await expect(image).toHaveJSProperty('naturalHeight', 1638);
  const served = await page.request.get(new URL((await image.getAttribute('src'))!, page.url()).href);
  expect(served.headers()['content-type']).toBe('image/jpeg');
  const meta = await sharp(await served.body()).metadata();
  expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(2048);
  await expect(page.getByTestId('viewer-resolution')).toContainText('5000×4000 · shown at 2048 px');

  const fitted = (await page.getByTestId('viewer-zoom').textContent())!;
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  await expect(page.getByTestId('viewer-zoom')).not.toHaveText(fitted);
  expect(parseInt((await page.getByTestId('viewer-zoom').textContent())!, 10)).toBeGreaterThan(parseInt(fitted, 10));
  await page.keyboard.press('0');
  await expect(page.getByTestId('viewer-zoom')).toHaveText(fitted);

  await page.getByTestId('viewer-full-resolution').click();
  await expect(image).toHaveAttribute('src', /^\/media\/original\/\d+$/);
  await expect(image).toHaveJSProperty('naturalWidth', 5000, { timeout: 30_000 });
  await expect(page.getByTestId('viewer-full-resolution')).toHaveText('Showing original');
});

test('a key that changes more than a screenful shows a toast with Undo; ? lists the shortcuts; light and dark screenshots', async ({ page }) => {
  await openLabel(page);
  await cell(page, 0).click();
  await page.keyboard.press('Control+a');
  await expect(page.getByTestId('selected-count')).toHaveText(`· ${PHOTOS + 1} selected`);
  await page.keyboard.press('3');
  await expect(page.getByTestId('label-toast')).toContainText(`Labelled ${PHOTOS + 1} images as “c”`);
  await expect(page.getByTestId('count-unlabelled')).toHaveText('0');
  await page.getByTestId('toast-undo').click();
  await expect(page.getByTestId('label-toast')).toHaveCount(0);
  await expect(page.getByTestId('count-unlabelled')).toHaveText(String(PHOTOS + 1 - 4));

  // A few labels for the pictures, then the view in both themes.
  await page.keyboard.press('Escape');
  for (const [index, key] of [[8, '1'], [9, '2'], [10, '3'], [11, '4'], [12, '2']] as const) {
    await cell(page, index).click();
    await page.keyboard.press(key);
  }
  await page.getByTestId('filter-all').click();
  await page.screenshot({ path: 'test-results/label-view-light.png' });
  await page.keyboard.press('?');
  await expect(page.getByTestId('shortcut-overlay')).toBeVisible();
  await page.screenshot({ path: 'test-results/label-view-shortcuts-light.png' });
  await page.keyboard.press('Escape');
  await page.emulateMedia({ colorScheme: 'dark' });
  await cell(page, 3).click();
  await page.keyboard.press('c');
  await page.keyboard.type('g');
  await page.screenshot({ path: 'test-results/label-view-picker-dark.png' });
  await page.keyboard.press('Escape');
  await cell(page, 2).click({ button: 'right' });
  await page.screenshot({ path: 'test-results/label-view-menu-dark.png' });
  await page.keyboard.press('Escape');
  await page.screenshot({ path: 'test-results/label-view-dark.png' });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('image-viewer')).toBeVisible();
  await page.screenshot({ path: 'test-results/label-view-viewer-dark.png' });
});

test('the toolbar keeps one row at 1280 px with a selection: the queue menu names its queues briefly, in full in its tooltip', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openLabel(page);
  const queue = page.getByTestId('filter-queue');
  await queue.selectOption('margin');
  await expect(queue).toHaveAttribute('title', /^Most useful to label next \(margin\)/);
  await queue.selectOption('');
  // The margin queue lists unlabelled photos; back in file order, all of them again.
  await page.getByTestId('filter-all').click();
  await expect(page.getByTestId('grid-total')).toHaveText(`${PHOTOS + 1} images`);
  await cell(page, 0).click();
  await page.keyboard.press('Shift+ArrowRight');
  await expect(page.getByTestId('selected-count')).toHaveText('· 2 selected');
  await expect(page.getByLabel('Pin to split')).toBeVisible();
  await page.screenshot({ path: 'test-results/label-toolbar-1280.png', clip: { x: 0, y: 0, width: 1280, height: 160 } });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'test-results/label-toolbar-dark-1280.png', clip: { x: 0, y: 0, width: 1280, height: 160 } });
  await page.emulateMedia({ colorScheme: 'light' });
  // Both ends of the toolbar on the same row: nothing wrapped onto a second one.
  const first = await page.getByTestId('filter-name').boundingBox();
  const last = await page.getByTestId('show-shortcuts').boundingBox();
  expect(Math.abs(first!.y + first!.height / 2 - (last!.y + last!.height / 2))).toBeLessThan(4);
});
