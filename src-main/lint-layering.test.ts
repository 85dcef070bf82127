import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Guards the layering rules themselves: if the lint config stops enforcing one, this fails.
describe('lint layering', () => {
  const eslint = new ESLint();
  const restricted = new Set(['no-restricted-imports', '@typescript-eslint/no-restricted-imports']);
  const lint = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath });
    return result!.messages.filter((m) => m.ruleId !== null && restricted.has(m.ruleId)).map((m) => m.message);
  };
  const importing = (spec: string, type = false) => `import ${type ? 'type ' : ''}{ x } from '${spec}';\nexport const y: unknown = ${type ? 'null as unknown as x' : 'x'};\n`;

  it.each(['src-main/core/x.ts', 'src-main/engine/x.ts', 'src-main/api/x.ts', 'src-main/serve/x.ts', 'src-main/cli/x.ts', 'src-main/base/x.ts'])(
    'forbids importing electron in %s',
    async (file) => {
      expect(await lint(file, "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    },
  );

  it('allows electron in the glue but not raw ipcMain outside the transport and the glue entry', async () => {
    expect(await lint('src-main/electron/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(0);
    expect(await lint('src-main/electron/x.ts', "import { ipcMain } from 'electron';\nexport const a = ipcMain;\n")).toHaveLength(1);
    expect(await lint('src-main/electron/ipc-main.ts', "import { ipcMain } from 'electron';\nexport const a = ipcMain;\n")).toHaveLength(0);
  });

  it('keeps base free of anything of ours', async () => {
    expect(await lint('src-main/base/x.ts', importing('../api/errors'))).toHaveLength(1);
    expect(await lint('src-main/base/x.ts', importing('./coalesce'))).toHaveLength(0);
  });

  it('lets the api import only base', async () => {
    expect(await lint('src-main/api/x.ts', importing('../core/jobs/job-registry'))).toHaveLength(1);
    expect(await lint('src-main/api/params/x.ts', importing('../../engine/protocol', true))).toHaveLength(1);
    expect(await lint('src-main/api/x.ts', importing('../serve/token'))).toHaveLength(1);
    expect(await lint('src-main/api/x.ts', importing('../base/parse'))).toHaveLength(0);
  });

  it('never lets the engine import core', async () => {
    expect(await lint('src-main/engine/requests/x.ts', importing('../../core/library'))).toHaveLength(1);
    expect(await lint('src-main/engine/x.ts', importing('../core/jobs/job-registry', true))).toHaveLength(1);
    expect(await lint('src-main/engine/requests/x.ts', importing('../../api/errors'))).toHaveLength(0);
  });

  it('lets core reach the engine only through its host-side client', async () => {
    expect(await lint('src-main/core/x.ts', importing('../engine/models/build-model'))).toHaveLength(1);
    expect(await lint('src-main/core/api/x.ts', importing('../../engine/worker/engine-server'))).toHaveLength(1);
    expect(await lint('src-main/core/x.ts', importing('../engine/host/engine-client'))).toHaveLength(0);
  });

  it('keeps TensorFlow.js out of the CLI', async () => {
    expect(await lint('src-main/cli/commands/x.ts', importing('@tensorflow/tfjs'))).toHaveLength(1);
    expect(await lint('src-main/cli/commands/x.ts', importing('../../engine/models/model-summary'))).toHaveLength(1);
    expect(await lint('src-main/cli/x.ts', importing('../engine/backend', true))).toHaveLength(1);
    expect(await lint('src-main/cli/commands/x.ts', importing('../../engine/host/engine-client'))).toHaveLength(0);
  });

  it('lets the renderer import only types, and only from the api', async () => {
    expect(await lint('src-renderer/src/x.ts', importing('../../src-main/api/media-url'))).toHaveLength(1);
    expect(await lint('src-renderer/src/x.ts', importing('../../src-main/core/library', true))).toHaveLength(1);
    expect(await lint('src-renderer/src/x.ts', importing('../../src-main/engine/protocol', true))).toHaveLength(1);
    expect(await lint('src-renderer/src/x.ts', importing('../../src-main/api/contract', true))).toHaveLength(0);
  });
});
