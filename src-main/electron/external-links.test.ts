import { describe, expect, it } from 'vitest';
import { EXTERNAL_LINKS, isAllowedExternalUrl } from './external-links';

describe('isAllowedExternalUrl', () => {
  it('allows exactly the links the app shows', () => {
    for (const link of EXTERNAL_LINKS) expect(isAllowedExternalUrl(link), link).toBe(true);
  });

  it('refuses everything else, including lookalikes of allowed links', () => {
    for (const url of [
      'https://evil.example/',
      'http://keras.io/api/applications/',
      'https://keras.io.evil.example/api/applications/',
      'https://evil@keras.io/api/applications/',
      'https://keras.io/api/applications/../../../evil',
      'https://keras.io/api/applications/?next=https://evil.example',
      'https://keras.io/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      '',
    ]) {
      expect(isAllowedExternalUrl(url), url).toBe(false);
    }
  });
});
