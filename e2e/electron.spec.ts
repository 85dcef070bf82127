import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { graft } from './support/graft-serve';
import { makeTempDir, removeTempDirs } from './support/temp-dirs';

/** The Electron binary, when the electron package could download it (not on CI here). */
function electronBinary(): string | null {
  const report = JSON.parse(graft('doctor', '--json')) as { electronBinary: string | null };
  return report.electronBinary;
}

test('the desktop app opens a project in a sandboxed window', async () => {
  const binary = electronBinary();
  if (!binary) console.log('electron e2e skipped: the Electron binary is not installed here (its download is blocked); it runs where `npx electron --version` works.');
  test.skip(!binary, 'Electron binary not available on this machine');
  const projectDir = path.join(makeTempDir('graft-electron-'), 'project');
  graft('init', projectDir);
  const app = await electron.launch({ executablePath: binary!, args: ['out/main/index.js', projectDir] });
  const page = await app.firstWindow();
  await expect(page.getByTestId('project-name')).toHaveText('project');
  // Loaded from the app's own privileged scheme, never file://.
  expect(page.url()).toMatch(/^app:\/\/graft\//);
  // Sandboxed and isolated: the page sees neither Node's require/process nor Electron.
  expect(await page.evaluate(() => typeof (globalThis as unknown as { require?: unknown }).require)).toBe('undefined');
  expect(await page.evaluate(() => typeof (globalThis as unknown as { process?: unknown }).process)).toBe('undefined');
  const opened = await page.evaluate(() => (globalThis as unknown as { open(url: string): unknown }).open('graft-test://popup') === null);
  expect(opened).toBe(true);
  expect(await page.evaluate(() => Object.keys((globalThis as unknown as { graft: object }).graft).sort())).toEqual(['call', 'on', 'pathForFile']);
  await app.close();
  removeTempDirs();
});
