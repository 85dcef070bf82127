/**
 * Paths that name something other than a photo: a FIFO (whose open would wait for a writer
 * forever), a device that never ends (/dev/zero), a folder, and a sparse file larger than any
 * image. Each comes with the reason every part of Graft gives for it (base/image-source).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** A path named as an image and the reason it is refused. */
export interface HostilePath {
  what: string;
  file: string;
  reason: string | RegExp;
}

/** Makes a FIFO with mkfifo; false where the platform has none (Windows). */
export function makeFifo(file: string): boolean {
  if (process.platform === 'win32') return false;
  const made = spawnSync('mkfifo', [file]);
  return made.status === 0 && fs.statSync(file).isFIFO();
}

/**
 * Writes what each platform allows into `dir` and returns the paths with their reasons; the
 * huge file is 1 MB over `maxImageBytes` (base/image-source's MAX_IMAGE_FILE_BYTES).
 */
export function writeHostilePaths(dir: string, maxImageBytes: number): HostilePath[] {
  fs.mkdirSync(dir, { recursive: true });
  const paths: HostilePath[] = [];
  const fifo = path.join(dir, 'pipe.jpg');
  if (makeFifo(fifo)) paths.push({ what: 'a FIFO', file: fifo, reason: 'not a regular file: it is a named pipe (FIFO)' });
  if (fs.existsSync('/dev/zero')) paths.push({ what: '/dev/zero', file: '/dev/zero', reason: 'not a regular file: it is a device' });
  const folder = path.join(dir, 'folder.jpg');
  fs.mkdirSync(folder);
  paths.push({ what: 'a folder', file: folder, reason: 'not a regular file: it is a folder' });
  const huge = path.join(dir, 'huge.jpg');
  // Sparse: takes no disk space, yet its size is past the limit.
  fs.writeFileSync(huge, Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
  fs.truncateSync(huge, maxImageBytes + 1024 * 1024);
  paths.push({ what: 'a huge file', file: huge, reason: /^file too large: \d+ MB is over the \d+ MB limit for one image$/ });
  return paths;
}

/**
 * Lets go of anything still waiting to open the FIFOs among `paths` (a reader blocked in open
 * returns once a writer opens; it then reads end of file), so a test that failed by hanging
 * does not keep its worker alive. Opening without a waiting reader fails at once (ENXIO).
 */
export function releaseFifos(paths: readonly HostilePath[]): void {
  for (const { file } of paths) {
    try {
      if (!fs.statSync(file).isFIFO()) continue;
      fs.closeSync(fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
    } catch {
      // No reader waiting, or already gone.
    }
  }
}
