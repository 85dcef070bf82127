import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import vueParser from 'vue-eslint-parser';

const electronBanned = {
  name: 'electron',
  message: 'Only src-main/electron/** may import electron: core services, the engine, the API, serve, the CLI and the renderer must run without it.',
};
const rawIpcBanned = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Use the typed transport (src-main/electron/ipc-main.ts, preload.ts); raw IPC elsewhere bypasses the contract.',
};

const electronPatterns = [{ group: ['electron/*'], message: electronBanned.message }];

/** The no-restricted-imports rule of one layer: electron banned, plus the layer's own limits. */
function layer(files, patterns) {
  return { files: [files], rules: { 'no-restricted-imports': ['error', { paths: [electronBanned], patterns: [...electronPatterns, ...patterns] }] } };
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parser: vueParser, parserOptions: { parser: tseslint.parser, sourceType: 'module' } },
  },
  {
    rules: {
      // TypeScript checks names; the core rule does not know DOM or Node types.
      'no-undef': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'no-restricted-imports': ['error', { paths: [rawIpcBanned] }],
    },
  },
  // Layering (DESIGN.md "Layout"): each folder may reach only the layers below it.
  layer('src-main/base/**', [{ group: ['../*', '!./*'], message: 'src-main/base imports nothing of ours: it is what every side uses.' }]),
  layer('src-main/api/**', [
    { group: ['**/core/**', '**/core', '**/engine/**', '**/serve/**', '**/cli/**', '**/electron/**'], message: 'src-main/api imports only src-main/base: the contract cannot depend on a side.' },
  ]),
  layer('src-main/engine/**', [{ group: ['**/core/**', '**/core'], message: 'The engine never imports core: the main side records what engine events say.' }]),
  layer('src-main/core/**', [
    {
      regex: '(^|/)engine/(?!host/|protocol$|.*test-support/)',
      message: 'Core reaches the engine only through its host-side client (src-main/engine/host) and the protocol types; engine code runs in the engine process.',
    },
  ]),
  layer('src-main/cli/**', [
    { group: ['@tensorflow/*'], message: 'The CLI never loads TensorFlow.js: it asks the engine (src-main/engine/host).' },
    {
      // imagenet-files is plain data (official weight file names and URLs), for the CLI's offline advice.
      regex: '(^|/)engine/(?!host/|inference/weights-cache-dir$|inference/embedding-files$|models/weights/imagenet-files$|.*test-support/)',
      message: 'The CLI never loads TensorFlow.js: it asks the engine through src-main/engine/host.',
    },
  ]),
  layer('src-main/serve/**', []),
  layer('bench/**', []),
  {
    files: ['src-renderer/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [electronBanned], patterns: [{ group: ['electron/*'], message: electronBanned.message }] }],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '(^|/)src-main/(?!api/)', message: 'The renderer reaches the main side only through the contract: import types from src-main/api.' },
            { regex: '(^|/)src-main/api/', allowTypeImports: true, message: 'The renderer imports only types from src-main/api (use `import type`): main-side code does not run in the page.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/electron/ipc-main.ts', 'src-main/electron/preload.ts', 'src-main/electron/main.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.test.ts', 'e2e/**', 'bench/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
