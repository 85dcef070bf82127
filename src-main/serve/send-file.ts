import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';

/**
 * Streams a file as the response. The file is opened before the headers go out, so a file
 * that cannot be read gets a 404 instead of an unhandled stream error; `pipeline` closes the
 * file when the browser aborts (the grid cancels image loads constantly while scrolling).
 */
export async function sendFile(response: ServerResponse, file: string, headers: Record<string, string>): Promise<void> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (error) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(`Cannot read this file any more (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
    return;
  }
  response.writeHead(200, headers);
  pipeline(handle.createReadStream(), response, () => void handle.close().catch(() => undefined));
}
