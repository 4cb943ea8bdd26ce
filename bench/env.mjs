// The bench's world: a build of the app, the static server, an uncontrolled baseline page on
// another origin, the demo stacks, Chromium, and the UI steps the real flow needs.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../scripts/find-chromium.mjs';
import { serveStatic } from '../scripts/static-server.mjs';
import { appReady, cardState, toolsListed } from './page.mjs';
import { wallNow } from './stats.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Builds the app into `outDir` (not dist/, which others may be using). */
export function buildApp(outDir) {
  rmSync(outDir, { recursive: true, force: true });
  const r = spawnSync('npm', ['run', '--silent', 'build'], {
    cwd: ROOT,
    env: { ...process.env, KEYHOLE_OUT_DIR: outDir },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}\n${r.stderr}`);
}

export function serveApp(root) {
  return serveStatic({ root, port: 0 });
}

/**
 * A page outside the worker's reach: another origin (127.0.0.1 instead of localhost), so the
 * app's service worker does not control it.
 */
export async function serveBaselinePage() {
  const server = http.createServer((req, res) => {
    if (req.url === '/' || req.url?.startsWith('/?')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end('<!doctype html><meta charset="utf-8"><title>Keyhole bench baseline</title><p>Uncontrolled baseline page.</p>');
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: `${origin}/`,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok(undefined));
      }),
  };
}

/**
 * Server-side send times of SSE progress events, taken where the demo MCP server (which runs in
 * this process) writes them to the socket. Instrumentation only: demo/ is not changed.
 */
export const sseSendLog = { enabled: false, /** @type {Map<string, Map<number, number>>} */ byToken: new Map() };
{
  const write = http.ServerResponse.prototype.write;
  http.ServerResponse.prototype.write = function (chunk, ...rest) {
    if (sseSendLog.enabled && chunk) {
      const t = wallNow();
      const s = typeof chunk === 'string' ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
      if (s.includes('notifications/progress')) {
        for (const m of s.matchAll(/"progressToken":"([^"]+)","progress":(\d+)/g)) {
          let map = sseSendLog.byToken.get(m[1]);
          if (!map) sseSendLog.byToken.set(m[1], (map = new Map()));
          if (!map.has(Number(m[2]))) map.set(Number(m[2]), t);
        }
      }
    }
    return write.call(this, chunk, ...rest);
  };
}

export async function launchBrowser() {
  const executablePath = await findChromium();
  return chromium.launch({ headless: true, ...(executablePath ? { executablePath } : {}), args: CHROMIUM_ARGS });
}

/**
 * page.waitForFunction that survives the navigations of the authorization flow, polling every
 * 2 ms; resolves with what the predicate returned (the page's wall clock when it became true).
 */
export async function waitIn(page, fn, arg, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      const h = await page.waitForFunction(fn, arg, { polling: 2, timeout: Math.max(1, deadline - Date.now()) });
      return await h.jsonValue();
    } catch (err) {
      const m = String(err?.message ?? err);
      if (Date.now() < deadline && /context was destroyed|navigat|Target closed|frame was detached/i.test(m)) continue;
      throw err;
    }
  }
}

export const waitReady = (page, timeout) => waitIn(page, appReady, undefined, timeout);
export const waitTools = (page, serverUrl, timeout) => waitIn(page, toolsListed, serverUrl, timeout);
export const waitCard = (page, serverUrl, state, timeout) => waitIn(page, cardState, { serverUrl, state }, timeout);

/**
 * The real first-time flow through the UI: type the URL, (optionally) tick "Keep me signed in",
 * Connect, Authorize at the demo AS (auto-approve), back to the app, tools listed.
 * Expects the page to show the app, ready. Returns wall-clock marks.
 */
export async function connectThroughUi(page, serverUrl, { keepSignedIn = false } = {}) {
  await page.locator('details.add input#url').fill(serverUrl);
  if (keepSignedIn) await page.locator('details.add input#keep').check();
  const submit = page.locator('details.add button[type="submit"]');
  const clickAt = wallNow();
  await submit.click();
  const needsAuthAt = await waitCard(page, serverUrl, 'needs-authorization');
  const card = page.locator(`server-card[data-key="${serverUrl}"]`);
  const authorizeClickAt = wallNow();
  await card.getByRole('button', { name: 'Authorize' }).click();
  const toolsAt = await waitTools(page, serverUrl);
  return { clickAt, needsAuthAt, authorizeClickAt, toolsAt };
}

/**
 * Reloads, once the current document has loaded; retries a reload the browser aborted (seen
 * rarely under load right after the authorization flow's navigations). Returns the attempts.
 */
export async function reloadPage(page) {
  await page.waitForLoadState('load');
  for (let attempt = 1; ; attempt++) {
    try {
      await page.reload();
      return attempt;
    } catch (err) {
      if (attempt >= 3 || !/ERR_ABORTED|frame was detached/.test(String(err?.message))) throw err;
      await page.waitForLoadState('load').catch(() => {});
    }
  }
}

/** `?protocol=2026-07-28`: the same revision the baseline's raw requests speak. */
export const appUrlFor = (app) => `${app.url}?protocol=2026-07-28`;
