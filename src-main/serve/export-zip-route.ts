import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { EXPORT_DOWNLOAD_PREFIX, parseExportDownloadPath } from '../api/export-download';
import { GraftError } from '../api/errors';
import { EXPORT_MARKER_FILE } from '../api/types/export';
import { errnoCode } from '../base/fs-errors';
import type { ProjectSession } from '../core/project-session';
import { writeZip, type ZipSource } from '../engine/export/zip-stream';
import type { RouteHandler } from './serve-server';

/** The zip format without its ZIP64 extension (which the zip writer does not write) stops here. */
const ZIP_LIMIT = 0xffff_ffff;

/**
 * The files of an export folder as zip entries under `<folder>/`, sorted. Symbolic links to
 * files are followed (a Keras training job's data tree links to the photos); links to folders
 * are not, so a loop cannot make the walk endless.
 */
async function exportEntries(dir: string, folder: string): Promise<{ entries: ZipSource[]; bytes: number }> {
  const entries: ZipSource[] = [];
  let bytes = 0;
  const walk = async (relative: string): Promise<void> => {
    const names = (await fs.promises.readdir(path.join(dir, relative))).sort();
    for (const name of names) {
      const inside = relative ? `${relative}/${name}` : name;
      const file = path.join(dir, inside);
      const link = await fs.promises.lstat(file);
      if (link.isDirectory()) {
        await walk(inside);
        continue;
      }
      const stat = link.isSymbolicLink() ? await fs.promises.stat(file).catch(() => null) : link;
      if (!stat?.isFile()) continue;
      bytes += stat.size;
      entries.push({ name: `${folder}/${inside}`, file });
    }
  };
  await walk('');
  return { entries, bytes };
}

/** The export folder a download names, checked: a real folder directly in the project's exports, with the export marker. */
async function exportFolder(session: ProjectSession, folder: string): Promise<string> {
  const exportsDir = session.require().layout.exports;
  const dir = path.join(exportsDir, folder);
  const missing = () => new GraftError('not-found', `There is no export "${folder}" in this project's exports folder.`);
  try {
    const stat = await fs.promises.lstat(dir);
    if (!stat.isDirectory()) throw missing();
    await fs.promises.access(path.join(dir, EXPORT_MARKER_FILE));
  } catch (error) {
    if (error instanceof GraftError) throw error;
    if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') throw missing();
    throw error;
  }
  // The exports folder itself may be a link the user made; the export must sit directly in whatever it points to.
  if (path.dirname(await fs.promises.realpath(dir)) !== (await fs.promises.realpath(exportsDir))) throw missing();
  return dir;
}

/** HTTP statuses of the refusals this route makes. */
const STATUS: Partial<Record<string, number>> = { 'not-found': 404, 'bad-request': 400, 'not-a-project': 409 };

/** Writes to an HTTP response, waiting for it to drain; fails once the browser has gone. */
function responseSink(response: ServerResponse): { write(data: string | Uint8Array): Promise<void> } {
  return {
    write: (data) =>
      new Promise((resolve, reject) => {
        if (response.destroyed) return reject(new Error('The download was interrupted.'));
        if (response.write(data)) return resolve();
        const done = (error?: Error) => {
          response.off('drain', onDrain);
          response.off('close', onClose);
          if (error) reject(error);
          else resolve();
        };
        const onDrain = () => done();
        const onClose = () => done(new Error('The download was interrupted.'));
        response.on('drain', onDrain);
        response.on('close', onClose);
      }),
  };
}

/** `attachment; filename=…` for any folder name (ASCII fallback plus the UTF-8 form). */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * The authenticated `/download/export/<folder>.zip` route of `graft serve`: an export folder of
 * the open project (directly inside its `exports/`, holding the export marker) streamed as a
 * zip, a megabyte at a time and only as fast as the browser takes it — never a path, never
 * anything outside the project's exports.
 */
export function exportZipRoute(session: ProjectSession): RouteHandler {
  return async (request, response, url) => {
    if (!url.pathname.startsWith(EXPORT_DOWNLOAD_PREFIX)) return false;
    let started = false;
    try {
      const folder = parseExportDownloadPath(url.pathname);
      const dir = await exportFolder(session, folder);
      const { entries, bytes } = await exportEntries(dir, folder);
      if (bytes > ZIP_LIMIT) {
        throw new GraftError('bad-request', `${folder} holds ${(bytes / 2 ** 30).toFixed(1)} GB, more than a zip can carry here (4 GB); copy the folder from the server instead.`);
      }
      response.writeHead(200, { 'content-type': 'application/zip', 'content-disposition': contentDisposition(`${folder}.zip`), 'cache-control': 'no-store' });
      started = true;
      if (request.method === 'HEAD') {
        response.end();
        return true;
      }
      await writeZip(responseSink(response), entries, new Date());
      response.end();
    } catch (error) {
      if (started) {
        // Headers are gone: cutting the connection is how the browser learns the zip is incomplete.
        response.destroy();
        return true;
      }
      const status = error instanceof GraftError ? (STATUS[error.code] ?? 500) : 500;
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(error instanceof Error ? error.message : String(error));
    }
    return true;
  };
}
