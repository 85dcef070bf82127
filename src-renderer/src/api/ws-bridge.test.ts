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
    const reply = bridge.call('job.cancel', { jobId: 'a' });
    const socket = sockets[0]!;
    expect(socket.sent).toEqual([]);
    socket.open();
    expect(JSON.parse(socket.sent[0]!)).toEqual({ kind: 'call', id: 1, name: 'job.cancel', params: { jobId: 'a' } });
    const events: number[] = [];
    bridge.on('job.progress', (p) => events.push(p.done));
    socket.deliver({ kind: 'event', name: 'job.progress', payload: { jobId: 'a', kind: 'x', done: 3, total: 4, message: '' } });
    socket.deliver({ kind: 'reply', id: 1, reply: { ok: true, value: { cancelled: true } } });
    await expect(reply).resolves.toEqual({ ok: true, value: { cancelled: true } });
    expect(events).toEqual([3]);
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
