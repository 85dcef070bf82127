import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { downloadWeightsFile, type DownloadProgress } from './download-manager';
import { imagenetWeightsFile, type WeightsFile } from './imagenet-files';
import { seededValues } from './test-support/tiny-models';
import { caught } from './test-support/caught';

const BODY = Buffer.from(seededValues(64 * 1024, 9).buffer); // 256 KiB
const MD5 = createHash('md5').update(BODY).digest('hex');
const SHA256 = createHash('sha256').update(BODY).digest('hex');

/** What the loopback server does with the next full-body request. */
interface Behaviour {
  cutAfter?: number;
  slow?: boolean;
}

let server: http.Server;
let baseUrl: string;
let behaviour: Behaviour = {};
const requests: { url: string; range: string | undefined }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push({ url: req.url ?? '', range: req.headers.range });
    if (req.url !== '/keras/test/weights.h5') {
      res.writeHead(404).end('not here');
      return;
    }
    const range = /bytes=(\d+)-/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const body = BODY.subarray(start);
    res.writeHead(range ? 206 : 200, {
      'content-length': body.length,
      ...(range ? { 'content-range': `bytes ${start}-${BODY.length - 1}/${BODY.length}` } : {}),
    });
    const { cutAfter, slow } = behaviour;
    behaviour = {};
    if (cutAfter !== undefined) {
      // Send part of the body, then drop the connection as a flaky network would.
      res.write(body.subarray(0, cutAfter), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    if (slow) {
      let at = 0;
      const timer = setInterval(() => {
        if (res.destroyed || at >= body.length) {
          clearInterval(timer);
          res.end();
          return;
        }
        res.write(body.subarray(at, (at += 4096)));
      }, 20);
      res.on('close', () => clearInterval(timer));
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keras/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

let cacheDir: string;
afterEach(() => {
  behaviour = {};
  requests.length = 0;
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
});
function freshCache(): string {
  cacheDir = mkdtempSync(path.join(os.tmpdir(), 'graft-dl-test-'));
  return cacheDir;
}

const FILE: WeightsFile = { fileName: 'weights.h5', urlPath: 'test/weights.h5', hash: MD5 };


describe('download manager', () => {
  it('downloads into the cache with progress, checks the md5 Keras lists, then serves from cache', async () => {
    const dir = freshCache();
    const progress: DownloadProgress[] = [];
    const file = await downloadWeightsFile(FILE, { cacheDir: dir, baseUrl, onProgress: (p) => progress.push(p), progressIntervalMs: 0 });
    expect(file).toBe(path.join(dir, 'weights.h5'));
    expect(readFileSync(file).equals(BODY)).toBe(true);
    expect(existsSync(`${file}.part`)).toBe(false);
    const last = progress.at(-1)!;
    expect(last).toMatchObject({ fileName: 'weights.h5', bytesDone: BODY.length, bytesTotal: BODY.length });
    expect(last.bytesPerSecond).toBeGreaterThan(0);
    expect(progress.every((p, i) => i === 0 || p.bytesDone >= progress[i - 1]!.bytesDone)).toBe(true);
    await downloadWeightsFile(FILE, { cacheDir: dir, baseUrl });
    expect(requests).toHaveLength(1);
  });

  it('verifies sha256 hashes too', async () => {
    const dir = freshCache();
    await downloadWeightsFile({ ...FILE, hash: SHA256 }, { cacheDir: dir, baseUrl });
    expect(statSync(path.join(dir, 'weights.h5')).size).toBe(BODY.length);
  });

  it('resumes with an HTTP Range request when the server cuts the connection half-way', async () => {
    const dir = freshCache();
    behaviour = { cutAfter: BODY.length / 2 };
    const progress: DownloadProgress[] = [];
    const file = await downloadWeightsFile(FILE, { cacheDir: dir, baseUrl, retryDelayMs: 0, onProgress: (p) => progress.push(p) });
    expect(readFileSync(file).equals(BODY)).toBe(true);
    expect(requests.map((r) => r.range)).toEqual([undefined, `bytes=${BODY.length / 2}-`]);
    expect(progress.at(-1)?.bytesDone).toBe(BODY.length);
  });

  it('keeps the .part file when retries run out, and the next call resumes from it', async () => {
    const dir = freshCache();
    behaviour = { cutAfter: 100_000 };
    const error = await caught(downloadWeightsFile(FILE, { cacheDir: dir, baseUrl, retries: 0 }));
    expect(error.code).toBe('io');
    expect(error.message).toMatch(/resumes/);
    expect(statSync(path.join(dir, 'weights.h5.part')).size).toBe(100_000);
    const file = await downloadWeightsFile(FILE, { cacheDir: dir, baseUrl });
    expect(readFileSync(file).equals(BODY)).toBe(true);
    expect(requests.at(-1)?.range).toBe('bytes=100000-');
  });

  it('removes the file and says so when the checksum does not match', async () => {
    const dir = freshCache();
    const error = await caught(downloadWeightsFile({ ...FILE, hash: 'ab'.repeat(16) }, { cacheDir: dir, baseUrl }));
    expect(error.code).toBe('io');
    expect(error.message).toContain('checksum does not match');
    expect(existsSync(path.join(dir, 'weights.h5'))).toBe(false);
    expect(existsSync(path.join(dir, 'weights.h5.part'))).toBe(false);
  });

  it('reports HTTP errors such as 404', async () => {
    const error = await caught(downloadWeightsFile({ ...FILE, urlPath: 'test/nope.h5' }, { cacheDir: freshCache(), baseUrl }));
    expect(error.code).toBe('io');
    expect(error.message).toContain('HTTP 404');
  });

  it('tells the user to connect or choose a file when offline (connection refused)', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const file = imagenetWeightsFile('vgg16', false);
    const error = await caught(downloadWeightsFile(file, { cacheDir: freshCache(), baseUrl: `http://127.0.0.1:${port}/` }));
    expect(error.code).toBe('io');
    // The file, where it was fetched from and what the network said, so the user can fetch it elsewhere.
    expect(error.message).toBe(
      `Could not download vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5 from http://127.0.0.1:${port}/vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5 ` +
        `(connect ECONNREFUSED 127.0.0.1:${port}) — connect to the internet or choose a weights file.`,
    );
  });

  it('cancels with an AbortSignal, keeping the partial file for later', async () => {
    const dir = freshCache();
    behaviour = { slow: true };
    const controller = new AbortController();
    const error = await caught(downloadWeightsFile(FILE, {
      cacheDir: dir,
      baseUrl,
      signal: controller.signal,
      progressIntervalMs: 0,
      onProgress: (p) => {
        if (p.bytesDone >= 16_384) controller.abort();
      },
    }));
    expect(error.code).toBe('cancelled');
    expect(statSync(path.join(dir, 'weights.h5.part')).size).toBeGreaterThan(0);
    expect(existsSync(path.join(dir, 'weights.h5'))).toBe(false);
  });
});

describe('official ImageNet files', () => {
  it('uses the names, paths and hashes of keras.applications', () => {
    expect(imagenetWeightsFile('vgg16', true)).toEqual({
      fileName: 'vgg16_weights_tf_dim_ordering_tf_kernels.h5',
      urlPath: 'vgg16/vgg16_weights_tf_dim_ordering_tf_kernels.h5',
      hash: '64373286793e3c8b2b4e3219cbf3544b',
    });
    expect(imagenetWeightsFile('resnet50', false).urlPath).toBe('resnet/resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5');
    expect(imagenetWeightsFile('inception_v3', false).hash).toBe('bcbd6486424b2319ff4ef7d526e38f63');
    expect(imagenetWeightsFile('mobilenet_v2', false, { rows: 96, cols: 96 }).fileName)
      .toBe('mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_96_no_top.h5');
    // Like Keras: other or non-square sizes fall back to the 224 file.
    expect(imagenetWeightsFile('mobilenet_v2', true, { rows: 100, cols: 100 }).fileName)
      .toBe('mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5');
  });
});
