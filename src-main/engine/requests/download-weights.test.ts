import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepProgress } from '../../api/types/jobs';
import type { EngineContext } from '../worker/engine-context';
import { runDownloadWeights } from './download-weights';

const body = Buffer.alloc(300_000, 7);
let server: http.Server;
let baseUrl: string;
let requests = 0;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graft-download-'));

beforeAll(async () => {
  server = http.createServer((request, response) => {
    requests += 1;
    if (!request.url?.endsWith('mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_96_no_top.h5')) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

function context(events: StepProgress[]): EngineContext<'downloadWeights'> {
  return { tf: null as never, backend: 'cpu', signal: new AbortController().signal, emit: (e) => events.push(e), checkpoint: async () => undefined };
}

describe('downloadWeights', () => {
  it('downloads the ImageNet file for the input size into the cache with progress, and answers from the cache afterwards', async () => {
    const events: StepProgress[] = [];
    const result = await runDownloadWeights({ arch: 'mobilenet_v2', inputSize: 96, cacheDir: dir, baseUrl }, context(events));
    expect(result).toMatchObject({ arch: 'mobilenet_v2', file: 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_96_no_top.h5' });
    expect(fs.readFileSync(result.path)).toEqual(body);
    expect(events.at(-1)).toMatchObject({ done: body.length, total: body.length });
    const before = requests;
    await runDownloadWeights({ arch: 'mobilenet_v2', inputSize: 96, cacheDir: dir, baseUrl }, context([]));
    expect(requests).toBe(before);
  });
});
