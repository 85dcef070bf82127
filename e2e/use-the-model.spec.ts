import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { headOnlyConfig } from '../src-main/api/test-support/training-config';
import type { JobInfoOf } from '../src-main/api/types/jobs';
import type { TrainingConfig } from '../src-main/api/types/runs';
import { serveNewProject, type ServedProject } from './support/graft-serve';
import { generateSeparablePhotos } from './support/separable-photos';
import { makeTempDir, removeTempDirs } from './support/temp-dirs';
import { connectClient, type ContractClient } from './support/ws-client';

/** One long name, to see that chips, counts and tiles still read. */
const CLASSES = ['warm', 'cool and blue-green tones'];
/** Photos per class imported with their label; the next UNLABELLED of each class come in without one; one more is dropped on the Use page. */
const LABELLED = 10;
const UNLABELLED = 4;

/** Bundled MobileNetV2 at its smallest input (32 px), the head only (just the classifier), two epochs: seconds on wasm. */
const config: TrainingConfig = headOnlyConfig({ seed: 4 });

let served: ServedProject;
let client: ContractClient;
/** A photo outside the project, dropped on the Use page. */
let dropped = '';

/**
 * Splits a per-class tree into the labelled part (kept in place), a flat folder of photos
 * imported without labels, and one photo per class kept out of the project.
 */
function splitPhotos(tree: string): { unlabelled: string; outside: string[] } {
  const unlabelled = makeTempDir('graft-e2e-unlabelled-');
  const outsideDir = makeTempDir('graft-e2e-outside-');
  const outside: string[] = [];
  for (const name of CLASSES) {
    const files = fs.readdirSync(path.join(tree, name)).sort();
    for (const [i, file] of files.entries()) {
      if (i < LABELLED) continue;
      const target = i < LABELLED + UNLABELLED ? path.join(unlabelled, `${name}-${file}`) : path.join(outsideDir, `${name}-${file}`);
      fs.renameSync(path.join(tree, name, file), target);
      if (i >= LABELLED + UNLABELLED) outside.push(target);
    }
  }
  return { unlabelled, outside };
}

test.beforeAll(async () => {
  test.setTimeout(240_000);
  const photos = await generateSeparablePhotos(CLASSES, LABELLED + UNLABELLED + 1, 48);
  const { unlabelled, outside } = splitPhotos(photos);
  dropped = outside[0]!;
  served = await serveNewProject();
  client = await connectClient(served);
  for (const folder of [photos, unlabelled]) {
    const { jobId } = await client.call('library.import', { folder, labelsFromSubfolders: folder === photos, thumbnails: true });
    expect((await client.settled(jobId)).status).toBe('succeeded');
  }
  const counts = await client.call('library.counts');
  expect([counts.labelled, counts.unlabelled]).toEqual([LABELLED * 2, UNLABELLED * 2]);
  await client.call('splits.assign', { train: 0.6, validation: 0.2, test: 0.2, seed: 1 });
  const { jobId } = await client.call('training.start', { config, name: 'tiny' });
  const trained = (await client.settled(jobId, 180_000)) as JobInfoOf<'train'>;
  expect(trained.status, trained.error?.message).toBe('succeeded');
});
test.afterAll(async () => {
  client?.close();
  await served?.stop();
  removeTempDirs();
});

test('pre-label the unlabelled photos, accept two suggestions with the keyboard and see them labelled; the Use page predicts a dropped photo', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${served.url}#/label`);
  await expect(page.getByTestId('count-unlabelled')).toHaveText(String(UNLABELLED * 2));

  // Suggest labels with the newest run, for the unlabelled photos only.
  await page.getByTestId('suggest-open').click();
  await expect(page.getByTestId('suggest-scope')).toHaveValue('unlabelled');
  await page.getByTestId('suggest-start').click();
  await expect(page.getByTestId('suggest-summary')).toContainText(`${UNLABELLED * 2} suggestions from tiny (best)`, { timeout: 60_000 });
  await expect(page.getByTestId('cell-suggestion')).toHaveCount(UNLABELLED * 2);
  await page.screenshot({ path: 'test-results/label-suggestions-1280.png' });

  // The photos the model is least sure of come first; A takes the suggestion of the focused one, twice.
  await page.getByTestId('filter-queue').selectOption('margin');
  await expect(page.getByTestId('grid-total')).toHaveText(`${UNLABELLED * 2} images`);
  await expect(page.getByTestId('cell-model-score').first()).toHaveText(/^margin \d\.\d\d$/);
  await page.screenshot({ path: 'test-results/label-margin-queue-1280.png' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'test-results/label-margin-queue-dark-1280.png' });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.screenshot({ path: 'test-results/label-margin-queue-1024.png' });
  await page.setViewportSize({ width: 1280, height: 800 });

  // Accept above…: a preview per class before anything is labelled (closed here without labelling).
  await page.getByTestId('accept-above-open').click();
  const dialog = page.getByTestId('accept-above');
  await dialog.getByTestId('accept-above-threshold').fill('50');
  await expect(dialog.getByTestId('accept-above-confirm')).toHaveText(`Label ${UNLABELLED * 2} photos`);
  await page.screenshot({ path: 'test-results/label-accept-above-1280.png' });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  expect((await client.call('library.counts')).unlabelled).toBe(UNLABELLED * 2);
  const accepted: { id: number; className: string }[] = [];
  const first = page.locator('[data-testid="grid-cell"][data-index="0"]');
  await first.click();
  for (let i = 0; i < 2; i++) {
    await expect(first.getByTestId('cell-suggestion')).toBeVisible();
    const id = Number(await first.getAttribute('data-image-id'));
    const className = /^(.+)\? \d+%$/.exec(await first.getByTestId('cell-suggestion').textContent() ?? '')![1]!;
    expect(CLASSES).toContain(className);
    accepted.push({ id, className });
    await page.keyboard.press('a');
    // An accepted photo is labelled, so it leaves the queue of unlabelled photos.
    await expect(page.getByTestId('grid-total')).toHaveText(`${UNLABELLED * 2 - i - 1} images`);
  }
  await expect(page.getByTestId('label-message')).toHaveText('Accepted 1 suggestion');
  await expect(page.getByTestId('suggest-summary')).toContainText(`${UNLABELLED * 2 - 2} suggestions`);

  // The library has the two labels: counts in the sidebar and on the server, and on the tiles in file order.
  await expect(page.getByTestId('count-unlabelled')).toHaveText(String(UNLABELLED * 2 - 2));
  for (const name of CLASSES) {
    const added = accepted.filter((a) => a.className === name).length;
    await expect(page.getByTestId(`class-${name}`).getByTestId('class-count')).toHaveText(String(LABELLED + added));
  }
  const classes = await client.call('classes.list');
  for (const { id, className } of accepted) {
    const classId = classes.find((c) => c.name === className)!.id;
    expect(await client.call('library.ids', { classId })).toContain(id);
  }
  await page.getByTestId('filter-queue').selectOption('');
  await page.getByTestId('filter-unlabelled').click();
  await expect(page.getByTestId('grid-total')).toHaveText(`${UNLABELLED * 2 - 2} images`);
  await page.getByTestId('filter-all').click();
  for (const { id, className } of accepted) {
    const tile = page.locator(`[data-testid="grid-cell"][data-image-id="${id}"]`);
    await tile.scrollIntoViewIfNeeded();
    await expect(tile.getByTestId('cell-label')).toHaveText(className);
    await expect(tile.getByTestId('cell-suggestion')).toHaveCount(0);
  }
  await page.screenshot({ path: 'test-results/label-accepted-1280.png' });

  // The Use page: a photo dropped from the browser's machine is sent to the server and predicted.
  await page.goto(`${served.url}#/use`);
  await expect(page.getByTestId('use-model-classes')).toContainText('Classes:');
  const bytes = [...fs.readFileSync(dropped)];
  const name = path.basename(dropped);
  const dataTransfer = await page.evaluateHandle(
    ({ bytes, name }) => {
      // Runs in the page, which has DataTransfer (the Node type-check config knows no DOM).
      const { DataTransfer } = globalThis as unknown as { DataTransfer: new () => { items: { add(file: File): void } } };
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], name, { type: 'image/png' }));
      return transfer;
    },
    { bytes, name },
  );
  await page.getByTestId('use-photos').dispatchEvent('drop', { dataTransfer });
  await expect(page.getByTestId('use-source')).toHaveCount(1);
  await expect(page.getByTestId('use-source')).toContainText(name);
  await expect(page.getByTestId('use-source')).toContainText('sent');
  await page.getByTestId('use-start').click();
  const results = page.getByTestId('use-results');
  await expect(results).toBeVisible({ timeout: 60_000 });
  await expect(results.getByTestId('use-tile')).toHaveCount(1);
  await expect(results.getByTestId('use-tile-name')).toHaveText(name);
  await expect(results.getByTestId('use-tile-class')).toHaveText(new RegExp(`^(${CLASSES.join('|')})$`));
  await expect(results.getByTestId('use-tile-probability')).toHaveText(/^\d{1,3}(\.\d)?%$/);
  await expect(results.getByTestId('use-model-name')).toHaveText('tiny · best checkpoint · 2 classes');
  await results.screenshot({ path: 'test-results/use-dropped-results-1280.png' });
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.screenshot({ path: 'test-results/use-dropped-1024.png' });
});
