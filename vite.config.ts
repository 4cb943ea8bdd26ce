import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { buildDefines, clientMetadataDocument, securityHeaders } from './scripts/build-defines.ts';
import { sandboxSite } from './scripts/sandbox-build.ts';
import { pageWithoutSdkOAuth } from './scripts/page-without-sdk-oauth.ts';

const outDir = process.env.KEYHOLE_OUT_DIR ?? 'dist';

// The page build: index.html and the callback fallback page. The service worker is a separate
// build (vite.sw.config.ts) so that sw.js is one self-contained classic script at the site root.
export default defineConfig({
  base: './',
  define: buildDefines(),
  // The SDK's OAuth flow is the worker's business, never the page's. sandboxSite: the MCP Apps
  // sandbox proxy, a second static site for its own origin (KEYHOLE_SANDBOX_URL).
  plugins: [clientMetadataDocument(), securityHeaders(), pageWithoutSdkOAuth(), sandboxSite(outDir)],
  build: {
    outDir,
    target: 'es2023',
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        callback: resolve(import.meta.dirname, 'callback.html'),
      },
    },
  },
});
