/// <reference lib="webworker" />
/**
 * The app shell, cached so Keyhole opens offline (issue 9). The list of files and their
 * revisions is generated at build time (scripts/precache.ts) into `self.__WB_MANIFEST`. Only
 * the app's own files are in it: MCP and OAuth traffic is cross-origin and never cached, and
 * neither are sw.js, the Client ID Metadata Document (read by authorization servers, not by the
 * app) or the callback page (answered by the worker itself).
 */
import { cleanupOutdatedCaches, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (PrecacheEntry | string)[] };

export function serveAppShell(): void {
  precacheAndRoute(self.__WB_MANIFEST, {
    // `?connect=` and `?protocol=` links open the cached index.html too.
    ignoreURLParametersMatching: [/.*/],
  });
  // Caches of earlier Workbox versions' formats; the precache itself removes stale entries.
  cleanupOutdatedCaches();
}
