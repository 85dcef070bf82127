import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Guards the layering rule itself: if the lint config stops enforcing it, this fails.
describe('lint layering', () => {
  const eslint = new ESLint();
  const lint = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath });
    return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports');
  };

  it.each(['src-main/core/x.ts', 'src-main/engine/x.ts', 'src-main/api/x.ts', 'src-main/serve/x.ts', 'src-main/cli/x.ts'])(
    'forbids importing electron in %s',
    async (file) => {
      expect(await lint(file, "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    },
  );

  it('allows electron in the glue but not raw ipcMain outside the transport', async () => {
    expect(await lint('src-main/electron/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(0);
    expect(await lint('src-main/electron/x.ts', "import { ipcMain } from 'electron';\nexport const a = ipcMain;\n")).toHaveLength(1);
    expect(await lint('src-main/electron/ipc-main.ts', "import { ipcMain } from 'electron';\nexport const a = ipcMain;\n")).toHaveLength(0);
  });
});
