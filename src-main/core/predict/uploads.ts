import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GraftError } from '../../api/errors';
import { writeFileAtomic } from '../../base/atomic-write';
import { decodeUpload } from '../uploads/upload-bytes';

/** How long uploaded photos are kept: a later upload removes folders older than this. */
const KEEP_MS = 24 * 60 * 60 * 1000;

/** Where photos dropped into the browser page are written for prediction (per user, under the OS temp folder). */
export function uploadsFolder(): string {
  return path.join(os.tmpdir(), `graft-uploads-${os.userInfo().uid}`);
}

/** A file name from the browser as a safe single name: no folders, no control characters, not empty. */
function safeName(fileName: string): string {
  const printable = [...fileName].filter((c) => c.charCodeAt(0) >= 0x20).join('');
  const name = path.basename(printable.replace(/\\/g, '/')).trim();
  if (!name || name === '.' || name === '..') throw new GraftError('bad-request', `"${fileName}" is not a file name.`);
  return name.slice(-200);
}

async function removeOldUploads(root: string, now: number): Promise<void> {
  const entries = await fs.promises.readdir(root, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(root, entry.name);
    const info = await fs.promises.stat(dir).catch(() => null);
    if (info && now - info.mtimeMs > KEEP_MS) await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/**
 * Writes a photo dropped into the browser page (under `graft serve`, where the page has no
 * path for it) to a folder of its own under the uploads folder and returns its path for
 * `predict.files`. Uploads older than a day are removed as new ones arrive.
 */
export async function saveUpload(fileName: string, base64: string): Promise<string> {
  const name = safeName(fileName);
  const bytes = decodeUpload(name, base64);
  const root = uploadsFolder();
  await fs.promises.mkdir(root, { recursive: true, mode: 0o700 });
  await removeOldUploads(root, Date.now());
  const file = path.join(root, randomUUID(), name);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, bytes);
  return file;
}
