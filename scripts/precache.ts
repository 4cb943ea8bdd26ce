/**
 * Generates the worker's precache list at build time (workbox-build injectManifest): every file
 * of the app shell with a revision, written into sw.js in place of `self.__WB_MANIFEST`.
 */
import { injectManifest } from 'workbox-build';
import type { Plugin } from 'vite';

export function precacheManifest(outDir: string): Plugin {
  return {
    name: 'keyhole-precache-manifest',
    apply: 'build',
    async closeBundle() {
      const { count, size, warnings } = await injectManifest({
        swSrc: `${outDir}/sw.js`,
        swDest: `${outDir}/sw.js`,
        globDirectory: outDir,
        globPatterns: ['**/*.{html,js,css,svg,png,ico,webmanifest}'],
        // Not the shell: the worker itself, the callback page (the worker answers it), and
        // documents read by other parties (client-metadata.json, _headers).
        globIgnores: ['sw.js', 'callback.html', '**/*.map'],
        // Vite's file names carry a content hash already; no revision needed for those.
        dontCacheBustURLsMatching: /-[A-Za-z0-9_-]{8,}\.\w+$/,
      });
      if (warnings.length) throw new Error(`Precache manifest: ${warnings.join('; ')}`);
      console.log(`precache: ${count} files, ${(size / 1024).toFixed(1)} kB`);
    },
  };
}
