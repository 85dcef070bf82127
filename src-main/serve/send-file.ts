import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { errnoCode } from '../base/fs-errors';

/**
 * Streams a file as the response. The file is opened before the headers go out, so a file
 * that cannot be read gets a 404 instead of an unhandled stream error.
 */
export async function sendFile(response: ServerResponse, file: string, headers: Record<string, string>): Promise<void> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (error) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(`Cannot read this file any more (${errnoCode(error) ?? 'error'}).`);
    return;
  }
  sendOpenFile(response, handle, headers);
}

/**
 * Streams an open file as a 200 response (at most `length` bytes when given) and closes it;
 * `pipeline` closes it too when the browser aborts (the grid cancels image loads constantly
 * while scrolling).
 */
export function sendOpenFile(response: ServerResponse, handle: fs.promises.FileHandle, headers: Record<string, string>, length?: number): void {
  response.writeHead(200, length === undefined ? headers : { ...headers, 'content-length': String(length) });
  const stream = handle.createReadStream(length === undefined || length === 0 ? {} : { start: 0, end: length - 1 });
  pipeline(stream, response, () => void handle.close().catch(() => undefined));
}
