import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The `electronFuses:` block of electron-builder.yml as name → value (the file keeps it flat). */
function fusesInConfig(): Record<string, string> {
  const text = fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8');
  const block = /^electronFuses:\n((?:[ ]{2}\S.*\n)+)/m.exec(text)?.[1] ?? '';
  return Object.fromEntries(block.trim().split('\n').map((line) => line.trim().split(/:\s*/) as [string, string]));
}

describe('Electron fuses in the packaging config', () => {
  it('switch off Node entry points and switch on asar-only loading, integrity and cookie encryption', () => {
    expect(fusesInConfig()).toEqual({
      runAsNode: 'false',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      onlyLoadAppFromAsar: 'true',
      enableEmbeddedAsarIntegrityValidation: 'true',
      enableCookieEncryption: 'true',
      grantFileProtocolExtraPrivileges: 'false',
    });
  });

  it('use the names electron-builder knows (a misspelt fuse would be ignored silently)', () => {
    const scheme = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8')) as {
      definitions: { FuseOptionsV1: { properties: Record<string, unknown> } };
      properties: Record<string, unknown>;
    };
    expect(Object.keys(scheme.properties)).toContain('electronFuses');
    for (const name of Object.keys(fusesInConfig())) expect(Object.keys(scheme.definitions.FuseOptionsV1.properties), name).toContain(name);
  });
});
