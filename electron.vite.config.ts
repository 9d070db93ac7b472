import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';

const root = import.meta.dirname;

// Builds the desktop bundles: out/main (Electron main, with the core bundled in), out/preload (one
// CommonJS file, as a sandboxed preload requires) and out/renderer (the page, also served by
// `asterisk-tap serve`).
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve(root, 'main/electron/main.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(root, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    base: './',
    // wavesurfer's spectrogram plugin carries a Node fallback (`require("worker_threads")`) that
    // never runs in a page: resolve it to nothing instead of a warning on every build.
    resolve: { alias: { worker_threads: resolve(root, 'renderer/common/no-worker-threads.ts') } },
    build: {
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      rollupOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
  },
});
