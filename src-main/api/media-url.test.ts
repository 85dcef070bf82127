import { describe, expect, it } from 'vitest';
import { GraftError } from './errors';
import { mediaErrorReply, mediaUrl, parseMediaUrl, type MediaRequest } from './media-url';
import { JUNK_MEDIA_TARGETS } from './test-support/media-url-junk';

const REQUESTS: MediaRequest[] = [
  { kind: 'thumb', imageId: 42, size: 256 },
  { kind: 'thumb', imageId: 1 },
  { kind: 'thumb', imageId: 999_999_999_999_999, size: 16 },
  { kind: 'thumb', imageId: 7, size: 1024 },
  { kind: 'original', imageId: 3 },
  { kind: 'display', imageId: 5 },
];

describe('media URLs', () => {
  it('parse back to the request they were built from, in both forms', () => {
    for (const request of REQUESTS) {
      const electron = mediaUrl(request, 'electron');
      const serve = mediaUrl(request, 'serve');
      expect(electron.startsWith('graft-media://')).toBe(true);
      expect(serve.startsWith('/media/')).toBe(true);
      expect(parseMediaUrl(electron)).toEqual(request);
      expect(parseMediaUrl(serve)).toEqual(request);
      expect(parseMediaUrl(new URL(serve, 'http://127.0.0.1:4000'))).toEqual(request);
    }
    expect(mediaUrl({ kind: 'thumb', imageId: 42, size: 256 }, 'electron')).toBe('graft-media://thumb/42?size=256');
    expect(mediaUrl({ kind: 'original', imageId: 42 }, 'serve')).toBe('/media/original/42');
  });

  it('refuse the same junk in the Electron form and the serve form', () => {
    for (const [target, query] of JUNK_MEDIA_TARGETS) {
      for (const url of [`graft-media://${target}${query}`, `/media/${target}${query}`]) {
        expect(() => parseMediaUrl(url), url).toThrow(GraftError);
        expect(() => parseMediaUrl(url), url).toThrow(expect.objectContaining({ code: 'bad-request' }) as Error);
      }
    }
  });

  it('refuse anything that is not a media URL', () => {
    for (const url of [
      'file:///etc/passwd',
      'graft-media://user@thumb/1',
      'graft-media://thumb:80/1',
      'graft-media:thumb/1',
      'graft-media://thumb/1#x',
      '/media/thumb/1#x',
      'http://localhost/other/thumb/1',
      'http://localhost/media/thumb/1/',
      'http://[::1',
      'javascript:alert(1)',
    ]) {
      expect(() => parseMediaUrl(url), url).toThrow(GraftError);
    }
  });

  it('are never built from a request that would not parse', () => {
    expect(() => mediaUrl({ kind: 'thumb', imageId: 1.5 }, 'serve')).toThrow(/whole numbers/);
    expect(() => mediaUrl({ kind: 'thumb', imageId: 1, size: 5000 }, 'serve')).toThrow(/from 16 to 1024/);
    expect(() => mediaUrl({ kind: 'original', imageId: 1, size: 64 }, 'electron')).toThrow(/no size/);
    expect(() => mediaUrl({ kind: 'display', imageId: 1, size: 64 }, 'electron')).toThrow(/no size/);
  });

  it('answer failures with one status per error code', () => {
    expect(mediaErrorReply(new GraftError('bad-request', 'no'))).toEqual({ status: 400, message: 'no' });
    expect(mediaErrorReply(new GraftError('not-found', 'gone')).status).toBe(404);
    expect(mediaErrorReply(new GraftError('not-a-project', 'none')).status).toBe(409);
    expect(mediaErrorReply(new Error('boom'))).toEqual({ status: 500, message: 'Unexpected error: boom' });
  });
});
