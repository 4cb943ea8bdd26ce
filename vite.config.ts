import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { buildDefines, clientMetadataDocument, securityHeaders } from './scripts/build-defines.ts';
import { pageWithoutSdkOAuth } from './scripts/page-without-sdk-oauth.ts';

// The page build: index.html and the callback fallback page. The service worker is a separate
// build (vite.sw.config.ts) so that sw.js is one self-contained classic script at the site root.
export default defineConfig({
  base: './',
  define: buildDefines(),
  // The SDK's OAuth flow is the worker's business, never the page's.
  plugins: [clientMetadataDocument(), securityHeaders(), pageWithoutSdkOAuth()],
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
