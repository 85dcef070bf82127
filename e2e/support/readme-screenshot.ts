/**
 * Takes the README's screenshot of the Label view in the middle of labelling: generated photos
 * of three shapes, shuffled into one folder and imported unlabelled into a new project; under
 * `graft serve`, Chromium labels the first row and a half with the number keys and selects a
 * few more. Needs the build (npm run build) and Chromium (apt-get install -y chromium).
 *
 *   npx tsx e2e/support/readme-screenshot.ts [docs/label-view.png]
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { graft, newProject, serveNewProject } from './graft-serve';
import { generateLabelledPhotos } from './labelled-photos';
import { makeTempDir, removeTempDirs } from './temp-dirs';

const CLASSES = ['circles', 'squares', 'triangles'];

/** Copies the per-class tree into one folder as IMG_0001.jpg…, in a seeded shuffle; returns each file's class by name. */
function shuffledFolder(tree: string): { folder: string; classOf: Map<string, string> } {
  const files = CLASSES.flatMap((name) => fs.readdirSync(path.join(tree, name)).map((f) => ({ name, file: path.join(tree, name, f) })));
  let seed = 11;
  const next = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  for (let i = files.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [files[i], files[j]] = [files[j]!, files[i]!];
  }
  const folder = makeTempDir('graft-readme-photos-');
  const classOf = new Map<string, string>();
  files.forEach((f, i) => {
    const name = `IMG_${String(i + 1).padStart(4, '0')}.jpg`;
    fs.copyFileSync(f.file, path.join(folder, name));
    classOf.set(name, f.name);
  });
  return { folder, classOf };
}

async function labelFirst(page: Page, count: number, classOf: Map<string, string>): Promise<void> {
  for (let i = 0; i < count; i++) {
    const cell = page.locator(`[data-testid="grid-cell"][data-index="${i}"]`);
    const name = (await cell.getAttribute('title')) ?? (await cell.innerText());
    const file = [...classOf.keys()].find((f) => name.includes(f));
    if (!file) throw new Error(`Cannot tell which photo grid cell ${i} shows ("${name}").`);
    await cell.click();
    await page.keyboard.press(String(CLASSES.indexOf(classOf.get(file)!) + 1));
  }
}

async function main(out: string): Promise<void> {
  const { folder, classOf } = shuffledFolder(await generateLabelledPhotos(30, 160));
  const projectDir = newProject();
  graft('import', projectDir, folder);
  const served = await serveNewProject(projectDir);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
    await page.goto(served.url + '#/label');
    for (const name of CLASSES) {
      await page.getByTestId('new-class-name').fill(name);
      await page.getByTestId('new-class-add').click();
      await page.getByTestId(`class-${name}`).waitFor();
    }
    await labelFirst(page, 8, classOf);
    // A selection of unlabelled photos, as when labelling several at once with one key.
    const cell = (index: number) => page.locator(`[data-testid="grid-cell"][data-index="${index}"]`);
    await cell(9).click();
    await cell(11).click({ modifiers: ['Control'] });
    await cell(12).click({ modifiers: ['Control'] });
    await page.mouse.move(0, 0);
    // Thumbnails are made on first view; wait until every visible one has loaded.
    // (A string: this file is type-checked for Node, without the DOM's types.)
    await page.waitForFunction("[...document.querySelectorAll('img')].every((img) => img.complete && img.naturalWidth > 0)");
    await page.screenshot({ path: out });
    console.log(`Wrote ${out}`);
  } finally {
    await browser.close();
    await served.stop();
    removeTempDirs();
  }
}

main(path.resolve(process.argv[2] ?? 'docs/label-view.png')).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
