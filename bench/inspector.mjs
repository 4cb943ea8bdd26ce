// 8. The peer: MCP Inspector v2, what a person would otherwise use. Its web client sends every
// MCP request through its own Node backend (POST /api/mcp/send; the answer comes back on the
// backend's event stream, GET /api/mcp/events). Started here against the same demo MCP server,
// with the same access token, and timed from a page on its own origin, as its web client does,
// alternated in rounds with the same `tools/call echo` through Keyhole's default transport (the port to its worker).
//
// Inspector is a dependency of the bench only (bench/inspector/package.json), installed into
// bench/inspector/node_modules on first use; never part of npm test. It needs Node ≥ 22 by its
// engines field but starts on 20.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './env.mjs';
import { portEchoBatch } from './port-page.mjs';
import { ratio, summary } from './stats.mjs';

const DIR = join(ROOT, 'bench', 'inspector');
const PKG = join(DIR, 'node_modules', '@modelcontextprotocol', 'inspector');
const LAUNCHER = join(PKG, 'clients', 'launcher', 'build', 'index.js');

/** Installs Inspector on first use; throws with npm's words when it cannot. */
export function ensureInspector(log = () => {}) {
  if (existsSync(LAUNCHER)) return JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8')).version;
  log('installing MCP Inspector into bench/inspector/node_modules (first use)');
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save'], { cwd: DIR, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0 || !existsSync(LAUNCHER)) throw new Error(`MCP Inspector could not be installed: ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-3).join(' ')}`);
  return JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8')).version;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts Inspector's web backend on loopback; resolves once it says it is up. */
async function startInspector() {
  const [port, sandbox, appOrigin] = [await freePort(), await freePort(), await freePort()];
  const home = mkdtempSync(join(os.tmpdir(), 'keyhole-bench-inspector-'));
  const token = `bench${Math.random().toString(36).slice(2)}`;
  const child = spawn(process.execPath, [LAUNCHER, '--web'], {
    env: {
      ...process.env,
      HOME: home,
      HOST: '127.0.0.1',
      CLIENT_PORT: String(port),
      MCP_SANDBOX_PORT: String(sandbox),
      MCP_APP_ORIGIN_PORT: String(appOrigin),
      MCP_INSPECTOR_API_TOKEN: token,
      MCP_INSPECTOR_SECRET_STORE: 'memory',
      MCP_AUTO_OPEN_ENABLED: 'false',
      MCP_STORAGE_DIR: join(home, 'storage'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const up = new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`Inspector did not start within 30 s: ${out.slice(-400)}`)), 30_000);
    const on = (d) => {
      out += d;
      if (/is up and running/.test(out)) {
        clearTimeout(t);
        resolve();
      }
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    child.on('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`Inspector exited (${code}) before it was up: ${out.slice(-400)}`));
    });
  });
  await up;
  const close = async () => {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    rmSync(home, { recursive: true, force: true });
  };
  return { url: `http://127.0.0.1:${port}`, token, close };
}

/** In Inspector's page: connect its backend to the MCP server, open the event stream. Leaves state on window. */
async function inspectorConnect({ mcpUrl, apiToken, accessToken }) {
  const auth = { 'x-mcp-remote-auth': `Bearer ${apiToken}`, 'content-type': 'application/json' };
  const r = await fetch('/api/mcp/connect', {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ config: { type: 'streamable-http', url: mcpUrl }, oauthTokens: { access_token: accessToken, token_type: 'Bearer' } }),
  });
  const got = await r.json();
  if (!got.sessionId) throw new Error(`connect: HTTP ${r.status} ${JSON.stringify(got).slice(0, 300)}`);
  const waiting = new Map();
  const res = await fetch(`/api/mcp/events?sessionId=${got.sessionId}`, { headers: { 'x-mcp-remote-auth': `Bearer ${apiToken}`, accept: 'text/event-stream' } });
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  (async () => {
    let buf = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buf += value;
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const ev = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const data = ev.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
        if (!data) continue;
        try {
          const e = JSON.parse(data);
          const m = e.message ?? e.data ?? e;
          const w = m && waiting.get(m.id);
          if (w && ('result' in m || 'error' in m)) {
            waiting.delete(m.id);
            w(m);
          }
        } catch {
          // Not JSON: a keep-alive or a prime.
        }
      }
    }
  })();
  window.__inspector = { sessionId: got.sessionId, auth, waiting };
  // The SDK client's hand-shake (2025-11-25; Inspector's backend keeps the MCP session).
  const call = (message) =>
    new Promise((resolve, reject) => {
      if ('id' in message) waiting.set(message.id, resolve);
      fetch('/api/mcp/send', { method: 'POST', headers: auth, body: JSON.stringify({ sessionId: got.sessionId, message }) })
        .then((x) => x.json())
        .then((x) => {
          if (!x.ok) reject(new Error(`send: ${JSON.stringify(x).slice(0, 300)}`));
          else if (!('id' in message)) resolve(x);
        }, reject);
    });
  await call({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'keyhole-bench', version: '0' } } });
  await call({ jsonrpc: '2.0', method: 'notifications/initialized' });
  return got.sessionId;
}

/** In Inspector's page: N `tools/call echo` through its backend, time until the answer's event arrives. */
async function inspectorEchoBatch({ n, concurrency, idBase }) {
  const { sessionId, auth, waiting } = window.__inspector;
  const lat = new Array(n).fill(NaN);
  let errors = 0;
  let firstError;
  let next = 0;
  const one = async (i) => {
    const id = idBase + i;
    const text = `ping ${id}`;
    const message = { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: { text } } };
    const t0 = performance.now();
    try {
      const answered = new Promise((resolve) => waiting.set(id, resolve));
      const sent = await fetch('/api/mcp/send', { method: 'POST', headers: auth, body: JSON.stringify({ sessionId, message }) }).then((x) => x.json());
      if (!sent.ok) throw new Error(JSON.stringify(sent).slice(0, 200));
      const m = await answered;
      lat[i] = performance.now() - t0;
      if (!JSON.stringify(m.result ?? m.error).includes(text)) {
        errors++;
        firstError ??= JSON.stringify(m).slice(0, 200);
      }
    } catch (err) {
      errors++;
      firstError ??= String(err);
    }
  };
  const lane = async () => {
    while (next < n) await one(next++);
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
  return { lat, elapsed: performance.now() - start, errors, firstError };
}

/**
 * @param {{ browser: import('playwright-core').Browser, worker: import('playwright-core').Page, mcpUrl: string, accessToken: string, n: number, rounds: number, log?: (m: string) => void }} o
 */
export async function measureInspector({ browser, worker, mcpUrl, accessToken, n, rounds, log }) {
  const version = ensureInspector(log);
  const inspector = await startInspector();
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    // First load of its web client: the JS and CSS the page fetched, gzip -9 as for Keyhole.
    const assets = [];
    page.on('response', async (res) => {
      const type = res.request().resourceType();
      if (type !== 'script' && type !== 'stylesheet') return;
      assets.push(
        res.body().then(
          (b) => ({ path: new URL(res.url()).pathname, raw: b.length, gzip: gzipSync(b, { level: 9 }).length }),
          () => undefined,
        ),
      );
    });
    // 'load', then quiet as far as it gets: its client may keep a connection open (or wait on a host
    // this closed network never answers), so network idle is waited for, not required.
    await page.goto(`${inspector.url}/?MCP_INSPECTOR_API_TOKEN=${inspector.token}`, { waitUntil: 'load', timeout: 60_000 });
    await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => {});
    const files = (await Promise.all(assets)).filter(Boolean);
    const firstLoad = files.reduce((a, f) => ({ raw: a.raw + f.raw, gzip: a.gzip + f.gzip }), { raw: 0, gzip: 0 });

    await page.evaluate(inspectorConnect, { mcpUrl, apiToken: inspector.token, accessToken });
    let idBase = 5_000_000;
    const variants = {
      // Keyhole's default transport: the port to the worker (src/app/port-fetch.ts).
      keyhole: (a) => worker.evaluate(portEchoBatch, { url: mcpUrl, ...a }),
      inspector: (a) => page.evaluate(inspectorEchoBatch, a),
    };
    const run = async (name, count, concurrency) => {
      const r = await variants[name]({ n: count, concurrency, idBase });
      idBase += count;
      if (r.errors) throw new Error(`${name}: ${r.errors} of ${count} echo calls failed, first: ${r.firstError}`);
      return r;
    };
    for (const name of Object.keys(variants)) await run(name, 30, 1);
    const per = Math.max(1, Math.round(n / rounds));
    const lat = { keyhole: [], inspector: [] };
    for (let r = 0; r < rounds; r++) {
      for (const name of r % 2 ? ['inspector', 'keyhole'] : ['keyhole', 'inspector']) lat[name].push(...(await run(name, per, 1)).lat);
    }
    const K = summary(lat.keyhole);
    const I = summary(lat.inspector);
    return { version, callLatencyMs: { keyhole: K, inspector: I }, latencyRatio: { median: ratio(K.median, I.median), p95: ratio(K.p95, I.p95) }, inspectorFirstLoad: { files, ...firstLoad } };
  } finally {
    await ctx.close();
    await inspector.close();
  }
}
