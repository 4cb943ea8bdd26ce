/**
 * Generates the worker's precache list at build time: every file of the app shell with a
 * revision, written into sw.js in place of `self.__WB_MANIFEST`, the format Workbox's
 * precacheAndRoute reads (the same injection workbox-build's injectManifest does, without its
 * Rollup and Babel toolchain).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Plugin } from 'vite';

/** The shell: pages, scripts, styles, icons, the manifest. */
const SHELL = /\.(?:html|js|css|svg|png|ico|webmanifest)$/;
/**
 * Not the shell: the worker itself, the callback page (the worker answers it), source maps.
 * client-metadata.json and _headers are read by other parties and do not match SHELL anyway.
 */
const NOT_SHELL = /^(?:sw\.js|callback\.html)$|\.map$/;
/** Vite's file names carry a content hash already; their URL is their revision. */
const HASHED = /-[A-Za-z0-9_-]{8,}\.\w+$/;

export interface PrecacheEntry {
  url: string;
  revision: string | null;
}

export function shellManifest(outDir: string): PrecacheEntry[] {
  const files = readdirSync(outDir, { recursive: true, encoding: 'utf8' })
    .map((f) => relative(outDir, join(outDir, f)).split(sep).join('/'))
    .filter((f) => SHELL.test(f) && !NOT_SHELL.test(f))
    .sort();
  return files.map((url) => ({
    url,
    revision: HASHED.test(url) ? null : createHash('md5').update(readFileSync(join(outDir, url))).digest('hex'),
  }));
}

export function precacheManifest(outDir: string): Plugin {
  return {
    name: 'keyhole-precache-manifest',
    apply: 'build',
    closeBundle() {
      const swPath = join(outDir, 'sw.js');
      const sw = readFileSync(swPath, 'utf8');
      const marker = 'self.__WB_MANIFEST';
      if (sw.split(marker).length !== 2) throw new Error(`Precache manifest: expected ${marker} exactly once in ${swPath}`);
      const entries = shellManifest(outDir);
      writeFileSync(swPath, sw.replace(marker, JSON.stringify(entries)));
      console.log(`precache: ${entries.length} files`);
    },
  };
}
