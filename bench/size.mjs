// 6. Size: the JS and CSS the first page load fetched (Resource Timing of a fresh profile's
// first visit) plus the worker script the page registers, raw and gzip (zlib level 9 on the
// built files: what a static host serving precompressed files would send).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * @param {{ dist: string, assets: { url: string }[], swScriptUrl?: string }} o
 */
export function measureSize({ dist, assets, swScriptUrl }) {
  const file = (url) => {
    const path = decodeURIComponent(new URL(url).pathname);
    const buf = readFileSync(join(dist, path));
    return { path, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
  };
  const page = [...new Set(assets.map((a) => a.url))].filter((u) => /\.(m?js|css)(\?|$)/.test(u)).map(file);
  const sw = file(swScriptUrl ?? new URL('/sw.js', assets[0]?.url ?? 'http://x/').href);
  const sum = (xs, k) => xs.reduce((t, x) => t + x[k], 0);
  return {
    pageFiles: page,
    page: { raw: sum(page, 'raw'), gzip: sum(page, 'gzip') },
    sw,
    firstLoad: { raw: sum(page, 'raw') + sw.raw, gzip: sum(page, 'gzip') + sw.gzip },
  };
}
