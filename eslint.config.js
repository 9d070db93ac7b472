// Layering rules: the core runs under plain Node (no electron), the renderer runs in a page (no
// Node), and ipcMain/ipcRenderer live only in the one IPC module of the shell and the preload.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));

/**
 * Which folders a layer may not import, by resolved PATH (VS Code's layering rule is the model):
 * package-name rules cannot see `../../electron/ipc-main.ts`. A prefix ending in "/" is a folder,
 * anything else one file. Type-only imports count too: they pull the other layer's types (and its
 * Node types) into this layer's compilation.
 */
export const LAYERS = [
  {
    name: 'core',
    files: 'main/core/',
    forbidden: ['main/electron/', 'main/web/', 'main/cli/', 'main/sim/', 'renderer/', 'preload/index.ts'],
    why: 'the core runs under plain Node in every host: it imports no host (electron, web, cli, sim), no renderer and not the preload script',
  },
  { name: 'renderer', files: 'renderer/', forbidden: ['main/'], why: 'the renderer is a web page: it reaches main only through the bridge and preload/contract.ts' },
  { name: 'preload', files: 'preload/', forbidden: ['main/'], why: 'the preload and the contract are shared with the page: they import nothing from main/' },
];

/** The layering rule: resolves each relative import against the importing file and checks {@link LAYERS}. */
const layersPlugin = {
  rules: {
    'import-paths': {
      meta: { type: 'problem', schema: [], messages: { forbidden: '{{layer}} must not import {{target}}: {{why}}.' } },
      create(context) {
        const from = relative(root, context.filename).split(sep).join('/');
        const layer = LAYERS.find((l) => from.startsWith(l.files));
        if (!layer) return {};
        const check = (node, source) => {
          if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
          const target = relative(root, resolve(dirname(context.filename), source.value)).split(sep).join('/');
          if (layer.forbidden.some((f) => (f.endsWith('/') ? target.startsWith(f) : target === f))) {
            context.report({ node, messageId: 'forbidden', data: { layer: `${layer.name} (${from})`, target, why: layer.why } });
          }
        };
        return {
          ImportDeclaration: (node) => check(node, node.source),
          ExportNamedDeclaration: (node) => check(node, node.source),
          ExportAllDeclaration: (node) => check(node, node.source),
          ImportExpression: (node) => check(node, node.source),
          TSImportType: (node) => check(node, node.argument?.literal ?? node.argument),
        };
      },
    },
  },
};

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
    files: ['main/core/**/*.ts', 'renderer/**/*.ts', 'preload/**/*.ts'],
    plugins: { layers: layersPlugin },
    rules: { 'layers/import-paths': 'error' },
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
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer talks to main only through the bridge.' },
            // @types/ws references @types/node: one import would give the Node-free page Node types.
            { name: 'ws', message: 'The renderer uses the browser WebSocket; the ws package (and its Node types) is for main.' },
          ],
          patterns: nodeBuiltins.map((n) => ({ group: [n], message: 'The renderer runs in a browser: no Node modules.' })),
        },
      ],
    },
  },
);
