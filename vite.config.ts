import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { buildDefines, clientMetadataDocument, securityHeaders } from './scripts/build-defines.ts';

// The page build: index.html and the callback fallback page. The service worker is a separate
// build (vite.sw.config.ts) so that sw.js is one self-contained classic script at the site root.
export default defineConfig({
  base: './',
  define: buildDefines(),
  plugins: [clientMetadataDocument(), securityHeaders()],
  build: {
    outDir: process.env.KEYHOLE_OUT_DIR ?? 'dist',
    target: 'es2023',
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        callback: resolve(import.meta.dirname, 'callback.html'),
      },
    },
  },
});
