import { describe, expect, it } from 'vitest';
import { isTrustedSenderUrl } from './trusted-sender';

describe('isTrustedSenderUrl', () => {
  const built = { fileUrl: 'file:///app/out/renderer/index.html', devServerUrl: null };
  const dev = { fileUrl: null, devServerUrl: 'http://localhost:5173/' };

  it('trusts our own renderer page, with or without a route hash', () => {
    expect(isTrustedSenderUrl('file:///app/out/renderer/index.html', built)).toBe(true);
    expect(isTrustedSenderUrl('file:///app/out/renderer/index.html#/label', built)).toBe(true);
    expect(isTrustedSenderUrl('http://localhost:5173/#/train', dev)).toBe(true);
  });

  it('drops other pages, other files and missing senders', () => {
    expect(isTrustedSenderUrl('https://evil.example/', built)).toBe(false);
    expect(isTrustedSenderUrl('file:///tmp/evil.html', built)).toBe(false);
    expect(isTrustedSenderUrl('file:///app/out/renderer/index.html.evil', built)).toBe(false);
    expect(isTrustedSenderUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isTrustedSenderUrl(undefined, built)).toBe(false);
  });
});
