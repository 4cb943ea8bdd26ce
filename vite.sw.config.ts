import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { buildDefines } from './scripts/build-defines.ts';

// The service worker: a stable name at the site root so its scope covers the app.
export default defineConfig({
  define: buildDefines(),
  publicDir: false,
  build: {
    outDir: process.env.KEYHOLE_OUT_DIR ?? 'dist',
    emptyOutDir: false,
    target: 'es2023',
    lib: {
      entry: resolve(import.meta.dirname, 'src/sw/sw.ts'),
      formats: ['iife'],
      name: 'keyholeServiceWorker',
      fileName: () => 'sw.js',
    },
  },
});
