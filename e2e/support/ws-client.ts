import { WebSocket } from 'ws';
import type { ApiEvents, EventName, ParamsOf, RequestName, ResultOf, WsServerMessage } from '../../src-main/api/contract';
import type { JobInfo } from '../../src-main/api/types/jobs';
import type { ServedProject } from './graft-serve';

/** A test's own WebSocket client of a `graft serve`, as another browser tab would be. */
export interface ContractClient {
  call<N extends RequestName>(name: N, params?: ParamsOf<N>): Promise<ResultOf<N>>;
  /** Subscribes to an event (all topics) and calls `listener` for each. */
  on<E extends EventName>(name: E, listener: (payload: ApiEvents[E]) => void): Promise<void>;
  /** Polls jobs.get until the job has ended; returns it. */
  settled(jobId: string, timeoutMs?: number): Promise<JobInfo>;
  close(): void;
}

/** Connects to the served project with its token (and its Origin, which the server checks). */
export async function connectClient(served: ServedProject): Promise<ContractClient> {
  const ws = new WebSocket(`${served.origin.replace('http', 'ws')}/ws?token=${served.token}`, { headers: { origin: served.origin } });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let next = 1;
  const pending = new Map<number, (message: Extract<WsServerMessage, { kind: 'reply' }>) => void>();
  const listeners = new Map<string, ((payload: never) => void)[]>();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as WsServerMessage;
    if (message.kind === 'reply') {
      pending.get(message.id)?.(message);
      pending.delete(message.id);
    } else {
      for (const listener of listeners.get(message.name) ?? []) listener(message.payload as never);
    }
  });
  const client: ContractClient = {
    async call(name, params) {
      const id = next++;
      const reply = new Promise<Extract<WsServerMessage, { kind: 'reply' }>>((resolve) => pending.set(id, resolve));
      ws.send(JSON.stringify({ kind: 'call', id, name, params }));
      const message = await reply;
      if (!message.reply.ok) throw new Error(`${name} failed: ${message.reply.error.message}`);
      return message.reply.value as never;
    },
    async on(name, listener) {
      listeners.set(name, [...(listeners.get(name) ?? []), listener as (payload: never) => void]);
      ws.send(JSON.stringify({ kind: 'subscribe', name, topic: null }));
      // The server handles messages in order: a call answered after the subscribe means it is in place.
      await client.call('app.info');
    },
    async settled(jobId, timeoutMs = 60_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const job = await client.call('jobs.get', { jobId });
        if (job.status === 'succeeded' || job.status === 'failed' || job.status === 'cancelled') return job;
        if (Date.now() > end) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    close: () => ws.close(),
  };
  return client;
}
