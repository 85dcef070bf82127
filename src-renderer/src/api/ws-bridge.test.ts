import { describe, expect, it } from 'vitest';
import { createWsBridge, defaultSocketUrl } from './ws-bridge';

/** A scripted socket: records sent frames and lets the test deliver server frames. */
class FakeSocket {
  static OPEN = 1;
  readonly OPEN = 1;
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  send(data: string) { this.sent.push(data); }
  close() { this.readyState = 3; this.onclose?.(); }
  open() { this.readyState = 1; this.onopen?.(); }
  deliver(message: unknown) { this.onmessage?.({ data: JSON.stringify(message) }); }
}

describe('createWsBridge', () => {
  it('queues calls until open, matches replies by id and dispatches events', async () => {
    const sockets: FakeSocket[] = [];
    const bridge = createWsBridge({ url: 'ws://x/ws', createSocket: () => { const s = new FakeSocket(); sockets.push(s); return s as unknown as WebSocket; } });
    const reply = bridge.call('jobs.cancel', { jobId: 'a' });
    const socket = sockets[0]!;
    expect(socket.sent).toEqual([]);
    socket.open();
    expect(JSON.parse(socket.sent[0]!)).toEqual({ kind: 'call', id: 1, name: 'jobs.cancel', params: { jobId: 'a' } });
    const events: string[] = [];
    bridge.on('library.changed', (p) => events.push(p.reason));
    socket.deliver({ kind: 'event', name: 'library.changed', payload: { reason: 'labels' }, topic: null });
    socket.deliver({ kind: 'reply', id: 1, reply: { ok: true, value: { cancelled: true } } });
    await expect(reply).resolves.toEqual({ ok: true, value: { cancelled: true } });
    expect(events).toEqual(['labels']);
    bridge.close();
  });

  it('subscribes each listener by event and topic, routes events by topic, and subscribes again after a reconnect', async () => {
    const sockets: FakeSocket[] = [];
    const bridge = createWsBridge({ url: 'ws://x/ws', createSocket: () => { const s = new FakeSocket(); sockets.push(s); return s as unknown as WebSocket; } });
    sockets[0]!.open();
    const ofA: number[] = [];
    const all: string[] = [];
    const stopA = bridge.on('job.progress', (p) => ofA.push((p.progress as { done: number }).done), 'job-a');
    bridge.on('job.finished', (p) => all.push(p.job.id));
    expect(sockets[0]!.sent.map((f) => JSON.parse(f))).toEqual([
      { kind: 'subscribe', name: 'job.progress', topic: 'job-a' },
      { kind: 'subscribe', name: 'job.finished', topic: null },
    ]);
    const progress = (jobId: string, done: number) => ({ kind: 'event', name: 'job.progress', topic: jobId, payload: { jobId, kind: 'self-test', progress: { done, total: 9, message: '' } } });
    sockets[0]!.deliver(progress('job-a', 1));
    sockets[0]!.deliver(progress('job-b', 2));
    sockets[0]!.deliver({ kind: 'event', name: 'job.finished', topic: 'job-b', payload: { job: { id: 'job-b' } } });
    expect(ofA).toEqual([1]);
    expect(all).toEqual(['job-b']);

    sockets[0]!.close();
    await new Promise((r) => setTimeout(r, 300));
    sockets[1]!.open();
    expect(sockets[1]!.sent.map((f) => JSON.parse(f))).toEqual([
      { kind: 'subscribe', name: 'job.progress', topic: 'job-a' },
      { kind: 'subscribe', name: 'job.finished', topic: null },
    ]);
    stopA();
    expect(JSON.parse(sockets[1]!.sent.at(-1)!)).toEqual({ kind: 'unsubscribe', name: 'job.progress', topic: 'job-a' });
    sockets[1]!.deliver(progress('job-a', 3));
    expect(ofA).toEqual([1]);
    bridge.close();
  });

  it('fails pending calls when the connection drops', async () => {
    const socket = new FakeSocket();
    const states: string[] = [];
    const bridge = createWsBridge({ url: 'ws://x/ws', createSocket: () => socket as unknown as WebSocket, onState: (s) => states.push(s) });
    socket.open();
    const reply = bridge.call('app.info');
    bridge.close();
    await expect(reply).resolves.toMatchObject({ ok: false, error: { code: 'io' } });
    expect(states).toEqual(['connecting', 'open', 'closed']);
  });

  it('never sends a call that was already reported as failed', async () => {
    const sockets: FakeSocket[] = [];
    const bridge = createWsBridge({ url: 'ws://x/ws', createSocket: () => { const s = new FakeSocket(); sockets.push(s); return s as unknown as WebSocket; } });
    const failed = bridge.call('labels.remove', { imageIds: [1] });
    sockets[0]!.close();
    await expect(failed).resolves.toMatchObject({ ok: false });
    await new Promise((r) => setTimeout(r, 300));
    sockets[1]!.open();
    expect(sockets[1]!.sent).toEqual([]);
    bridge.close();
  });

  it('builds the socket URL from the page, carrying its token', () => {
    expect(defaultSocketUrl({ protocol: 'http:', host: '127.0.0.1:5170', search: '?token=abc' } as Location)).toBe('ws://127.0.0.1:5170/ws?token=abc');
    expect(defaultSocketUrl({ protocol: 'https:', host: 'box:1', search: '' } as Location)).toBe('wss://box:1/ws');
  });
});
