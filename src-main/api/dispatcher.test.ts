import { describe, expect, it, vi } from 'vitest';
import { createDispatcher, type ApiHandlers } from './dispatcher';
import { REQUEST_PARAMS } from './params';
import { GraftError } from './errors';

function handlers(overrides: Partial<ApiHandlers>): ApiHandlers {
  const fail = () => {
    throw new Error('not used');
  };
  const all = Object.fromEntries(Object.keys(REQUEST_PARAMS).map((name) => [name, fail])) as unknown as ApiHandlers;
  return { ...all, ...overrides };
}

describe('createDispatcher', () => {
  it('routes a known request to its handler', async () => {
    const dispatcher = createDispatcher(handlers({ 'jobs.cancel': ({ jobId }) => ({ cancelled: jobId === 'a' }) }), vi.fn());
    await expect(dispatcher.dispatch('jobs.cancel', { jobId: 'a' })).resolves.toEqual({ ok: true, value: { cancelled: true } });
  });

  it('refuses names that are not in the contract', async () => {
    const dispatcher = createDispatcher(handlers({}), vi.fn());
    const reply = await dispatcher.dispatch('fs.readFile', { path: '/etc/passwd' });
    expect(reply).toEqual({ ok: false, error: { code: 'bad-request', message: 'Unknown request: fs.readFile' } });
    expect(await dispatcher.dispatch('__proto__', {})).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('returns expected failures as values without logging them', async () => {
    const log = vi.fn();
    const dispatcher = createDispatcher(handlers({ 'project.open': () => { throw new GraftError('not-a-project', 'No project here.'); } }), log);
    expect(await dispatcher.dispatch('project.open', { dir: '/x' })).toEqual({ ok: false, error: { code: 'not-a-project', message: 'No project here.' } });
    expect(log).not.toHaveBeenCalled();
  });

  it('logs unexpected failures with context and answers "internal"', async () => {
    const log = vi.fn();
    const dispatcher = createDispatcher(handlers({ 'app.info': () => { throw new TypeError('boom'); } }), log);
    expect(await dispatcher.dispatch('app.info', undefined)).toEqual({ ok: false, error: { code: 'internal', message: 'Unexpected error: boom' } });
    expect(log).toHaveBeenCalledWith('request app.info failed', expect.any(TypeError));
  });

  it('checks parameters before the handler runs: junk is a bad-request naming the field, never a crash', async () => {
    const handler = vi.fn(() => ({ changed: 0 }));
    const log = vi.fn();
    const dispatcher = createDispatcher(handlers({ 'splits.pin': handler }), log);
    for (const junk of [null, 'x', 42, [], { imageIds: 'all' }, { imageIds: [1, -2], split: 'train' }, { imageIds: [1], split: 'nope' }]) {
      const reply = await dispatcher.dispatch('splits.pin', junk);
      expect(reply).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    }
    expect(await dispatcher.dispatch('splits.pin', { imageIds: [1, -2], split: 'train' })).toMatchObject({
      error: { message: expect.stringContaining('"imageIds[1]"') },
    });
    expect(handler).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
  });

  it('hands the handler only the fields its parser knows', async () => {
    const handler = vi.fn((p: { dir: string }) => ({ dir: p.dir, name: 'p', schemaVersion: 1, createdAt: '' }));
    const dispatcher = createDispatcher(handlers({ 'project.open': handler }), vi.fn());
    await dispatcher.dispatch('project.open', { dir: '/p', __proto__: { polluted: true }, extra: 1 });
    expect(handler).toHaveBeenCalledWith({ dir: '/p' });
  });
});
