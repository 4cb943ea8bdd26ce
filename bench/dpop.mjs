// 7. DPoP: what sender-constraining costs. (a) the work of one proof in Chromium: an ES256
// signature over a proof-sized JWS input plus the SHA-256 of the access token (`ath`), with a
// non-extractable key as the worker holds it; (b) an MCP call through the worker with DPoP-bound
// tokens against the same call through the worker with Bearer tokens, two app profiles connected
// to two demo stacks that differ only in DPoP, alternated in rounds.
import { connectThroughUi, appUrlFor, waitReady } from './env.mjs';
import { echoBatch } from './page.mjs';
import { ratio, summary } from './stats.mjs';

/** Runs in the page: times `n` proof computations. */
async function proofWork(n) {
  const { privateKey } = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const enc = new TextEncoder();
  const token = 'x'.repeat(43);
  const input = enc.encode(`${'h'.repeat(200)}.${'p'.repeat(220)}`);
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await crypto.subtle.digest('SHA-256', enc.encode(token));
    await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, input);
    times.push(performance.now() - t0);
  }
  return times;
}

/**
 * @param {{ browser: import('playwright-core').Browser, app: { origin: string }, dpopStack: any, bearerStack: any, n: number, rounds: number }} o
 */
export async function measureDpop({ browser, app, dpopStack, bearerStack, n, rounds }) {
  const pages = {};
  for (const [name, stack] of [
    ['dpop', dpopStack],
    ['bearer', bearerStack],
  ]) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(appUrlFor(app));
    await waitReady(page);
    await connectThroughUi(page, stack.mcp.url);
    pages[name] = { page, url: stack.mcp.url, ctx };
  }
  const scheme = dpopStack.mcp.authorizations.at(-1)?.split(' ')[0];
  if (scheme !== 'DPoP') throw new Error(`the DPoP profile sent ${scheme ?? 'nothing'}, not DPoP`);

  const proofMs = await pages.dpop.page.evaluate(proofWork, 200);
  let idBase = 1;
  const lat = { dpop: [], bearer: [] };
  const per = Math.max(1, Math.round(n / rounds));
  // Warm-up both (connections, preflight caches, the DPoP handle).
  for (const name of ['dpop', 'bearer']) await pages[name].page.evaluate(echoBatch, { url: pages[name].url, n: 30, concurrency: 1, idBase: (idBase += 30) });
  for (let r = 0; r < rounds; r++) {
    for (const name of r % 2 ? ['bearer', 'dpop'] : ['dpop', 'bearer']) {
      const res = await pages[name].page.evaluate(echoBatch, { url: pages[name].url, n: per, concurrency: 1, idBase });
      idBase += per;
      if (res.errors) throw new Error(`${name}: ${res.errors} of ${per} calls failed, first: ${res.firstError}`);
      lat[name].push(...res.lat);
    }
  }
  // The worker's own timing of each call's credentials, until the request left (src/sw/timings.ts):
  // for DPoP the proof (key handle, ath, ES256 signature), for Bearer only the header.
  const authMs = {};
  for (const name of ['dpop', 'bearer']) authMs[name] = summary((await workerTimings(pages[name].ctx, `${name}-auth`)).slice(-lat[name].length));
  for (const { ctx } of Object.values(pages)) await ctx.close();
  const D = summary(lat.dpop);
  const B = summary(lat.bearer);
  return {
    measured: true,
    workerAuthMs: authMs,
    dpopClientMs: authMs.dpop.median,
    // What is left of the DPoP call's extra time once the client's share is taken out: the demo
    // server's proof verification (and noise; a difference of medians).
    serverVerifyEstimateMs: D.median - B.median - (authMs.dpop.median - authMs.bearer.median),
    proofMs: summary(proofMs),
    callLatencyMs: { dpop: D, bearer: B },
    latencyRatio: { median: ratio(D.median, B.median), p95: ratio(D.p95, B.p95) },
    target: 'DPoP call within 1.15x of the Bearer call (median)',
  };
}

/** A series the app's worker recorded of itself (self.keyholeTimings), read in the worker's global. */
async function workerTimings(ctx, name) {
  const sw = ctx.serviceWorkers()[0];
  if (!sw) throw new Error('no service worker in the DPoP profile to read timings from');
  const got = await sw.evaluate((n) => self.keyholeTimings?.[n] ?? null, name);
  if (!got?.length) throw new Error(`the worker recorded no ${name} timings (a build without src/sw/timings.ts?)`);
  return got;
}
