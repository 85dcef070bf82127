import { describe, expect, it } from 'vitest';
import { PauseAbortedError, PauseGate } from './pause-gate';

describe('PauseGate', () => {
  it('lets work through while running and holds it while paused', async () => {
    const gate = new PauseGate();
    await gate.wait();
    const changes: boolean[] = [];
    gate.onChange((p) => changes.push(p));
    expect(gate.pause()).toBe(true);
    expect(gate.pause()).toBe(false);
    let passed = false;
    const waiting = gate.wait().then(() => (passed = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(passed).toBe(false);
    expect(gate.resume()).toBe(true);
    await waiting;
    expect(passed).toBe(true);
    expect(changes).toEqual([true, false]);
  });

  it('a cancel releases a paused waiter with an abort error', async () => {
    const gate = new PauseGate();
    const controller = new AbortController();
    gate.pause();
    const waiting = gate.wait(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(PauseAbortedError);
    await expect(gate.wait(controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });
});
