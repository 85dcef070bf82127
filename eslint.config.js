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
  {
    files: ['src-main/core/**', 'src-main/engine/**', 'src-main/api/**', 'src-main/serve/**', 'src-main/cli/**', 'src-renderer/**', 'bench/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronBanned], patterns: [{ group: ['electron/*'], message: electronBanned.message }] }] },
  },
  {
    files: ['src-main/electron/ipc-main.ts', 'src-main/electron/preload.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.test.ts', 'e2e/**', 'bench/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
