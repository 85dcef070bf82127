import { expect, test, type Page } from '@playwright/test';
import { graft, newProject, serveNewProject, type ServedProject } from './support/graft-serve';
import { generateLabelledPhotos } from './support/labelled-photos';
import { removeTempDirs } from './support/temp-dirs';

let served: ServedProject;
test.beforeAll(async () => {
  const photos = await generateLabelledPhotos(20);
  const projectDir = newProject();
  graft('import', projectDir, photos, '--labels-from-subfolders');
  served = await serveNewProject(projectDir);
});
test.afterAll(async () => {
  await served.stop();
  removeTempDirs();
});

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/train-wizard-${name}.png` });
const count = async (page: Page, id: string) => Number((await page.getByTestId(id).innerText()).replace(/,/g, ''));

test('the fine-tune wizard: data check, bundled MobileNetV2, last block unfrozen in the tree, 96 px, 1 epoch, Train', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(served.url);
  await page.getByTestId('nav-train').click();

  // Data: labelled but not split yet, so the check offers to assign splits; afterwards it passes and Train shows.
  await expect(page.getByTestId('issue-no-splits')).toBeVisible();
  await expect(page.getByTestId('train-start')).toHaveCount(0);
  await page.getByTestId('fix-assign-splits').click();
  await expect(page.getByTestId('data-check-verdict')).toContainText('Ready to train: 3 classes');
  await expect(page.getByTestId('class-count-table')).toContainText('circles');
  await expect(page.getByTestId('train-start')).toBeEnabled();
  await shot(page, '1-data');

  // Base model: the bundled MobileNetV2 (the default) at 96 px.
  await page.getByTestId('step-base').click();
  await page.getByTestId('base-mobilenet_v2-bundled').click();
  await page.getByTestId('size-96').click();
  await expect(page.getByTestId('base-chosen')).toContainText('at 96×96 px');
  await shot(page, '2-base');

  // Layers: unfreeze the last block with its checkbox; the trainable total grows, the frozen one shrinks.
  await page.getByTestId('step-layers').click();
  await expect(page.getByTestId('block-Conv_1')).toBeVisible({ timeout: 30_000 });
  const trainableBefore = await count(page, 'total-trainable');
  const frozenBefore = await count(page, 'total-frozen');
  await page.getByTestId('freeze-Conv_1').click();
  await expect.poll(() => count(page, 'total-trainable')).toBeGreaterThan(trainableBefore);
  expect(await count(page, 'total-frozen')).toBeLessThan(frozenBefore);
  expect((await count(page, 'total-trainable')) - trainableBefore).toBe(frozenBefore - (await count(page, 'total-frozen')));
  await expect(page.getByTestId('block-Conv_1')).toHaveAttribute('aria-checked', 'false');
  await expect(page.getByTestId('freeze-Conv_1')).not.toHaveClass(/checked/);
  await expect(page.getByTestId('preset-last-block')).toHaveAttribute('aria-pressed', 'true');
  await shot(page, '3-layers');

  // Settings: one epoch (the fine-tune stage follows it).
  await page.getByTestId('step-settings').click();
  await page.getByTestId('epochs').fill('1');
  await expect(page.getByTestId('fine-tune-epochs')).toHaveValue('1');
  await expect(page.getByTestId('config-summary')).toContainText('96 px · from Conv_1 on · 1 + 1 epochs');
  // The LR finder runs as a job and draws its curve; its suggestion goes into the field in one click.
  await page.getByTestId('lr-find').click();
  await expect(page.getByTestId('lr-chart')).toBeVisible({ timeout: 30_000 });
  const use = page.getByTestId('lr-use');
  if (await use.isVisible()) {
    const suggested = (await use.innerText()).replace('Use ', '');
    await use.click();
    await expect(page.getByTestId('learning-rate')).toHaveValue(String(Number(suggested)));
  }
  await shot(page, '4-settings');
  // Augmentation previews real photos of the project.
  await page.getByTestId('augment-on').check();
  await expect(page.getByTestId('augment-variant')).toHaveCount(16, { timeout: 20_000 });
  await page.getByTestId('augment-preview').scrollIntoViewIfNeeded();
  await shot(page, '4-settings-augment');
  await page.getByTestId('augment-on').uncheck();

  await page.getByTestId('train-start').click();
  await expect(page).toHaveURL(/step=train/);
  await expect(page.getByTestId('train-live')).toBeVisible();
  await expect(page.getByTestId('train-run-name')).toContainText('Run 1', { timeout: 20_000 });
  await expect(page.getByTestId('step-train')).toContainText('Train');
  await shot(page, '5-train');
  await expect(page.getByTestId('train-outcome')).toBeVisible({ timeout: 45_000 });

  // A second run with the head only: the settings are kept; Evaluate and Export show it when it ends.
  await page.getByTestId('step-layers').click();
  await page.getByTestId('preset-head-only').click();
  await expect(page.getByTestId('config-summary')).toContainText('head only · 1 epoch');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-run-name')).toContainText('Run 2', { timeout: 20_000 });
  await expect(page.getByTestId('train-outcome')).toBeVisible({ timeout: 45_000 });
  await shot(page, '5-train-done');
  await page.getByTestId('step-evaluate').click();
  await expect(page.getByTestId('run-evaluation')).toBeVisible();
  await shot(page, '6-evaluate');
  await page.getByTestId('step-export').click();
  await expect(page.getByTestId('export-handover')).toContainText('Run 2');
  await expect(page.getByTestId('export-handover').getByTestId('export-run')).toHaveValue('2');
  await expect(page.getByTestId('export-checkpoint-best')).toBeChecked();
  await shot(page, '7-export');

  // Small window, dark theme: the setup steps stay readable.
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.emulateMedia({ colorScheme: 'dark' });
  for (const step of ['data', 'base', 'layers', 'settings'] as const) {
    await page.getByTestId(`step-${step}`).click();
    await shot(page, `dark-1024-${step}`);
  }
});
