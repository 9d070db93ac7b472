// Layering rules: the core runs under plain Node (no electron), the renderer runs in a page (no
// Node), and ipcMain/ipcRenderer live only in the one IPC module of the shell and the preload.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'stream', 'worker_threads'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test/e2e/.artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
        { selector: 'TSEnumDeclaration', message: 'Use string-literal unions (erasable syntax).' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Tool configuration files must default-export their config.
    files: ['*.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Everything outside the Electron shell and the preload must run under plain Node.
    files: ['main/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'renderer/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only main/electron/ and preload/ may import electron.' }] }],
    },
  },
  {
    // Only the one IPC module may touch ipcMain / ipcRenderer.
    files: ['main/electron/**/*.ts', 'preload/**/*.ts'],
    ignores: ['main/electron/ipc-main.ts', 'preload/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', importNames: ['ipcMain', 'ipcRenderer'], message: 'Use the typed IPC module (main/electron/ipc-main.ts, preload/index.ts).' }] },
      ],
    },
  },
  {
    // The renderer is a web page: no Node modules, no Node globals.
    files: ['renderer/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'The renderer talks to main only through the bridge.' }], patterns: nodeBuiltins.map((n) => ({ group: [n], message: 'The renderer runs in a browser: no Node modules.' })) }],
    },
  },
);
