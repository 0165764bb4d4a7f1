import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// A Node built-in reaching the interface or the engine worker becomes an empty stub there, and the
// worker fails when it runs: the build fails instead, naming the import, rather than a GPU run hanging.
// (Throwing from onwarn is swallowed by the bundler, so the warnings are collected and raised at the end.)
const nodeBuiltins: string[] = [];
const noNodeBuiltins = {
  name: 'gan-studio:no-node-builtins',
  generateBundle() {
    if (nodeBuiltins.length) throw new Error(`Node built-ins in browser code:\n${nodeBuiltins.join('\n')}`);
  },
};

// A model family's host.ts (evaluation, export: files and judges) is for Node; the engine worker
// builds trainers from the family's descriptor and never loads it (main/families/family.ts).
const familyHost = (source: string, importer: string | undefined) => /[\\/]families[\\/]/.test(importer ?? '') && /^\.\/host(\.js|\.ts)?$/.test(source);

// Relative asset paths: the same build loads from studio://app in Electron and from / in browser mode.
export default defineConfig({
  root: here('.'),
  base: './',
  plugins: [svelte(), noNodeBuiltins],
  // The engine worker imports TensorFlow.js and the WebGPU backend as ES modules of their own.
  worker: { format: 'es', rollupOptions: { external: familyHost } },
  build: {
    outDir: here('../dist/renderer'),
    emptyOutDir: true,
    // The engine worker carries TensorFlow.js with its backends: a few megabytes, loaded once, from disk.
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      // The interface, and the desktop app's hidden engine page (engine.html).
      input: { index: here('index.html'), engine: here('engine.html') },
      external: familyHost,
      onwarn(warning, warn) {
        if (/externalized for browser compatibility/.test(warning.message)) nodeBuiltins.push(warning.message);
        else warn(warning);
      },
    },
  },
});
