/**
 * Importing from a browser under `graft serve`: a folder picked with the server-side folder
 * browser, and photos sent from the page (a folder chosen with two class subfolders, and
 * files dropped) into the project's photos folder, then imported with their classes.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { expect, test, type Page } from '@playwright/test';
import { serveNewProject, type ServedProject } from './support/graft-serve';
import { makeTempDir, removeTempDirs } from './support/temp-dirs';

let served: ServedProject;
let home: string;
const previousHome = process.env.HOME;

/** A JPEG of noise (so every file differs and does not compress to nothing), `edge` pixels square. */
async function noisyJpeg(seed: number, edge: number): Promise<Buffer> {
  const pixels = Buffer.alloc(edge * edge * 3);
  let state = seed * 2654435761 + 1;
  for (let i = 0; i < pixels.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    pixels[i] = state >>> 24;
  }
  return sharp(pixels, { raw: { width: edge, height: edge, channels: 3 } }).jpeg({ quality: 92 }).toBuffer();
}

async function writePhotos(dir: string, prefix: string, count: number, edge: number, seed: number): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) fs.writeFileSync(path.join(dir, `${prefix}-${i}.jpg`), await noisyJpeg(seed + i, edge));
}

test.beforeAll(async () => {
  // The folder browser starts at the home of the user `graft serve` runs as: a home made for the test.
  home = makeTempDir('graft-e2e-home-');
  await writePhotos(path.join(home, 'Pictures', 'holiday', 'beach'), 'beach', 3, 64, 1);
  await writePhotos(path.join(home, 'Pictures', 'holiday', 'hills'), 'hills', 2, 64, 10);
  const outside = makeTempDir('graft-e2e-outside-');
  fs.symlinkSync(outside, path.join(home, 'Pictures', 'elsewhere'));
  process.env.HOME = home;
  served = await serveNewProject();
});
test.afterAll(async () => {
  process.env.HOME = previousHome;
  await served.stop();
  removeTempDirs();
});

async function openLibrary(page: Page): Promise<void> {
  await page.goto(served.url);
  await expect(page.getByTestId('library-view')).toBeVisible();
  await expect(page.getByTestId('import-browse')).toBeVisible();
}

test('a folder browsed to on the server is imported', async ({ page }) => {
  await openLibrary(page);
  await page.getByTestId('import-browse').click();
  const dialog = page.getByTestId('folder-browser');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('browse-path')).toBeFocused();
  await expect(page.getByTestId('browse-path')).toHaveValue(fs.realpathSync(home));
  await dialog.getByTestId('browse-folder').filter({ hasText: 'Pictures' }).click();
  const elsewhere = dialog.getByTestId('browse-folder').filter({ hasText: 'elsewhere' });
  await expect(elsewhere).toBeDisabled();
  await expect(elsewhere).toContainText('outside this folder');
  await dialog.getByTestId('browse-folder').filter({ hasText: 'holiday' }).click();
  await expect(dialog.getByTestId('browse-folder').filter({ hasText: 'beach' })).toContainText('3 photos');
  // The clicked folder's button went with the old listing; focus stays inside the dialog.
  await expect(dialog.locator(':focus')).toHaveCount(1);
  await page.screenshot({ path: test.info().outputPath('folder-browser.png') });
  await page.getByTestId('browse-choose').click();
  await expect(dialog).toBeHidden();
  const holiday = fs.realpathSync(path.join(home, 'Pictures', 'holiday'));
  await expect(page.getByTestId('import-folder')).toHaveValue(holiday);
  await page.getByTestId('import-labels-from-subfolders').check();
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-result')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('class-count-beach')).toContainText('3');
  await expect(page.getByTestId('class-count-hills')).toContainText('2');

  // The picker now offers the folder imported before.
  await page.getByTestId('import-browse').click();
  await expect(page.getByTestId('browse-recent')).toHaveText(holiday);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('folder-browser')).toBeHidden();
});

test('a folder with two class subfolders is sent from the page and imported with its classes; dropped files too', async ({ page }) => {
  const source = makeTempDir('graft-e2e-upload-');
  const chosen = path.join(source, 'fruit');
  // Large enough (~0.6 MB each) that the sending is seen in progress.
  await writePhotos(path.join(chosen, 'apples'), 'apple', 8, 640, 100);
  await writePhotos(path.join(chosen, 'pears'), 'pear', 6, 640, 200);
  fs.writeFileSync(path.join(chosen, 'pears', 'notes.txt'), 'not a photo');

  await openLibrary(page);
  await page.getByTestId('import-labels-from-subfolders').check();
  await page.getByTestId('upload-folder-input').setInputFiles(chosen);
  await expect(page.getByTestId('upload-progress')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('upload-progress.png') });
  await expect(page.getByTestId('upload-outcome')).toContainText("14 photos in the project's photos folder", { timeout: 60_000 });
  await expect(page.getByTestId('upload-refused')).toContainText('fruit/pears/notes.txt not sent: not a supported image type (.txt)');
  await expect(page.getByTestId('import-result')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('class-count-apples')).toContainText('8');
  await expect(page.getByTestId('class-count-pears')).toContainText('6');
  const photos = path.join(served.projectDir, 'photos');
  expect(fs.readdirSync(path.join(photos, 'fruit', 'pears')).sort()).toEqual(Array.from({ length: 6 }, (_, i) => `pear-${i}.jpg`).sort());

  // Files dropped onto the page: the overlay shows while they are dragged, then they are sent and imported.
  const dropped = [await noisyJpeg(900, 48), await noisyJpeg(901, 48)].map((b) => b.toString('base64'));
  const transfer = await page.evaluateHandle((files) => {
    // The page's DataTransfer, named through globalThis: this file type-checks without the DOM library.
    const Transfer = (globalThis as unknown as { DataTransfer: new () => { items: { add(file: File): unknown } } }).DataTransfer;
    const dt = new Transfer();
    files.forEach((data, i) => dt.items.add(new File([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], `dropped-${i}.jpg`, { type: 'image/jpeg' })));
    return dt;
  }, dropped);
  await page.dispatchEvent('[data-testid="library-view"]', 'dragenter', { dataTransfer: transfer });
  await expect(page.getByTestId('upload-drop-overlay')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('drop-overlay.png') });
  await page.dispatchEvent('[data-testid="library-view"]', 'drop', { dataTransfer: transfer });
  await expect(page.getByTestId('upload-drop-overlay')).toBeHidden();
  await expect(page.getByTestId('upload-outcome')).toContainText("2 photos in the project's photos folder", { timeout: 30_000 });
  await expect(page.getByTestId('count-total')).toHaveText('21', { timeout: 30_000 });
  expect(fs.existsSync(path.join(photos, 'dropped-0.jpg'))).toBe(true);
});
