import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { buildDefines } from './scripts/build-defines.ts';
import { precacheManifest } from './scripts/precache.ts';

const outDir = process.env.KEYHOLE_OUT_DIR ?? 'dist';

// The service worker: a stable name at the site root so its scope covers the app.
export default defineConfig({
  // Workbox's modules read process.env.NODE_ENV, which a worker does not have; library mode leaves it.
  define: { ...buildDefines(), 'process.env.NODE_ENV': JSON.stringify('production') },
  publicDir: false,
  // Runs after sw.js is written, over the whole output of both builds.
  plugins: [precacheManifest(outDir)],
  build: {
    outDir,
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
