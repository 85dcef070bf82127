import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL } from './app-url';
import { isTrustedSenderUrl } from './trusted-sender';

describe('isTrustedSenderUrl', () => {
  const built = { devServerUrl: null };
  const dev = { devServerUrl: 'http://localhost:5173/' };

  it('trusts our own renderer page, with or without a route hash', () => {
    expect(isTrustedSenderUrl(APP_ENTRY_URL, built)).toBe(true);
    expect(isTrustedSenderUrl(`${APP_ENTRY_URL}#/label`, built)).toBe(true);
    expect(isTrustedSenderUrl('http://localhost:5173/#/train', dev)).toBe(true);
  });

  it('drops other pages, other hosts of the scheme, files and missing senders', () => {
    expect(isTrustedSenderUrl('https://evil.example/', built)).toBe(false);
    expect(isTrustedSenderUrl('file:///app/out/renderer/index.html', built)).toBe(false);
    expect(isTrustedSenderUrl('app://evil/index.html', built)).toBe(false);
    expect(isTrustedSenderUrl('app://x:y@graft/index.html', built)).toBe(false);
    expect(isTrustedSenderUrl('graft-media://original/1', built)).toBe(false);
    expect(isTrustedSenderUrl(APP_ENTRY_URL, dev)).toBe(false);
    expect(isTrustedSenderUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isTrustedSenderUrl(undefined, built)).toBe(false);
  });
});
