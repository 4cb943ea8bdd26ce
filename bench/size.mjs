// 6. Size: the JS and CSS the first page load fetched (Resource Timing of a fresh profile's
// first visit) plus the worker script the page registers, raw and gzip (zlib level 9 on the
// built files: what a static host serving precompressed files would send). Also every chunk of
// the build by name (what loads when), and everything fetched up to a connected tool list.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Issue 18, goal 1: page JS + CSS + sw.js before a server is added. */
export const FIRST_LOAD_TARGET_KB = 90;

const isCode = (u) => /\.(m?js|css)(\?|$)/.test(u);

/**
 * @param {{ dist: string, assets: { url: string }[], swScriptUrl?: string, connectedAssets?: { url: string }[] }} o
 */
export function measureSize({ dist, assets, swScriptUrl, connectedAssets }) {
  const size = (path) => {
    const buf = readFileSync(join(dist, path));
    return { path, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
  };
  const file = (url) => size(decodeURIComponent(new URL(url).pathname));
  const page = [...new Set(assets.map((a) => a.url))].filter(isCode).map(file);
  const sw = file(swScriptUrl ?? new URL('/sw.js', assets[0]?.url ?? 'http://x/').href);
  const sum = (xs, k) => xs.reduce((t, x) => t + x[k], 0);
  const firstPaths = new Set(page.map((p) => p.path));
  const connectedPaths = new Set((connectedAssets ?? []).map((a) => decodeURIComponent(new URL(a.url).pathname)).filter(isCode));
  // Every chunk the build made, and when the page fetches it.
  const chunks = readdirSync(join(dist, 'assets'))
    .filter(isCode)
    .sort()
    .map((name) => {
      const path = `/assets/${name}`;
      const when = firstPaths.has(path) ? 'first load' : connectedPaths.has(path) ? 'on connect' : connectedAssets ? 'not before a tool list' : '?';
      return { ...size(path), when };
    });
  const toConnected = connectedAssets ? [...new Set([...firstPaths, ...connectedPaths])].map(size) : undefined;
  return {
    pageFiles: page,
    page: { raw: sum(page, 'raw'), gzip: sum(page, 'gzip') },
    sw,
    firstLoad: { raw: sum(page, 'raw') + sw.raw, gzip: sum(page, 'gzip') + sw.gzip },
    firstLoadTargetKB: FIRST_LOAD_TARGET_KB,
    chunks,
    ...(toConnected ? { toConnectedTools: { files: toConnected.map((f) => f.path), raw: sum(toConnected, 'raw') + sw.raw, gzip: sum(toConnected, 'gzip') + sw.gzip } } : {}),
  };
}

/** The stable top-level keys of bench/results.json for goals 1 and 4 of issue 18. */
export function sizeAndVisitKeys(results) {
  const keys = {};
  if (results.size?.firstLoad) keys.firstLoadGzipKB = round1(results.size.firstLoad.gzip / 1024);
  if (results.size?.toConnectedTools) keys.toConnectedToolsGzipKB = round1(results.size.toConnectedTools.gzip / 1024);
  const r = results.connect?.returning?.requests?.median;
  if (Number.isFinite(r)) keys.returningVisitRequests = r;
  const first = results.connect?.first?.runs;
  if (first?.length) {
    // First connect with the authorization server's own login and consent pages counted apart.
    const counts = first.map((x) => x.requests.byClient - x.requests.asInteraction.length).sort((a, b) => a - b);
    keys.firstConnectRequests = counts[Math.floor((counts.length - 1) / 2)];
  }
  return keys;
}

const round1 = (x) => Math.round(x * 10) / 10;
