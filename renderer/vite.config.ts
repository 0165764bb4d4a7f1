import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Relative asset paths: the same build loads from studio://app in Electron and from / in browser mode.
export default defineConfig({
  root: here('.'),
  base: './',
  plugins: [svelte()],
  // The engine worker imports TensorFlow.js and the WebGPU backend as ES modules of their own.
  worker: { format: 'es' },
  build: {
    outDir: here('../dist/renderer'),
    emptyOutDir: true,
    // The engine worker carries TensorFlow.js with its backends: a few megabytes, loaded once, from disk.
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      // The interface, and the desktop app's hidden engine page (engine.html).
      input: { index: here('index.html'), engine: here('engine.html') },
    },
  },
});
