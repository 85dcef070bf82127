import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, resolveAppFile } from './app-url';

const root = path.resolve('/app/out/renderer');

describe('resolveAppFile', () => {
  it('maps app://graft/ URLs to files of the renderer folder', () => {
    expect(resolveAppFile(root, APP_ENTRY_URL)).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://graft/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://graft/assets/index-abc.js?v=1#x')).toBe(path.join(root, 'assets', 'index-abc.js'));
    expect(resolveAppFile(root, 'app://graft/assets/a%20b.css')).toBe(path.join(root, 'assets', 'a b.css'));
  });

  it('keeps dot segments inside the folder (the URL parser folds them at its root)', () => {
    expect(resolveAppFile(root, 'app://graft/../../etc/passwd')).toBe(path.join(root, 'etc', 'passwd'));
    expect(resolveAppFile(root, 'app://graft/%2e%2e/%2e%2e/etc/passwd')).toBe(path.join(root, 'etc', 'passwd'));
  });

  it('refuses other schemes and hosts, and every way out of the folder', () => {
    for (const url of [
      'file:///etc/passwd',
      'app://other/index.html',
      'app://user:pw@graft/index.html',
      'app://graft/assets/%2E%2E%2F%2E%2E%2Fsecret',
      'app://graft/..%5c..%5csecret',
      'app://graft/a%00.js',
      'app://graft/%E0%A4%A',
      'not a url',
    ]) {
      expect(resolveAppFile(root, url), url).toBeNull();
    }
  });
});
