// 3. Refresh coalescing: three tabs of the app, one connection whose access token has expired
// (the demo AS issues 5-second tokens here), 100 echo calls fired at the same instant across the
// tabs. Counts token requests at the AS (must be 1) and times until every call is answered.
// For scale, the same burst from three uncontrolled pages with a valid token runs after it.
// A second run uses 35-second tokens and fires while the token is still valid but inside the
// worker's refresh margin (min(30 s, half the token's lifetime)): the same coalescing, proactive.
import { appUrlFor, connectThroughUi, waitReady, waitTools } from './env.mjs';
import { burst, echoBatch, freshView } from './page.mjs';
import { sleep, summary, wallNow } from './stats.mjs';
import { obtainToken } from './token.mjs';

const TOTAL = 100;

async function fireBurst(pages, { url, token }) {
  const fireAt = wallNow() + 400;
  const shares = pages.map((_, i) => Math.floor(TOTAL / pages.length) + (i < TOTAL % pages.length ? 1 : 0));
  let idBase = 1;
  const results = (
    await Promise.all(
      pages.map((p, i) => {
        const args = { url, token, count: shares[i], fireAt, idBase };
        idBase += shares[i];
        return p.evaluate(burst, args);
      }),
    )
  ).flat();
  const lastAnswer = Math.max(...results.map((r) => r.end));
  return {
    fireAt,
    allAnsweredMs: lastAnswer - fireAt,
    latencyMs: summary(results.map((r) => r.end - r.start)),
    failed: results.filter((r) => !r.ok).length,
    statuses: [...new Set(results.map((r) => r.status))],
  };
}

/** The worker refreshes when fewer than this many ms remain (src/sw/tokens.ts REFRESH_MARGIN_MS). */
export const REFRESH_MARGIN_MS = 30_000;

/**
 * @param {{ browser: import('playwright-core').Browser, app: { url: string, origin: string }, base: { url: string, origin: string }, stack: any, reps: number, ttl: number, waitFor?: 'expiry' | 'margin', withDirect?: boolean }} o
 *   waitFor `expiry`: fire once the token has expired (the brief's case); `margin`: once it is
 *   inside the worker's refresh margin but still valid (the proactive refresh).
 */
export async function measureRefresh({ browser, app, base, stack, reps, ttl, waitFor = 'expiry', withDirect = true }) {
  // The worker refreshes min(30 s, half the token's lifetime) before expiry (src/sw/tokens.ts).
  const margin = Math.min(REFRESH_MARGIN_MS, (ttl * 1000) / 2);
  const mcpUrl = stack.mcp.url;
  const ctx = await browser.newContext();
  try {
    const tabs = [await ctx.newPage()];
    await tabs[0].goto(appUrlFor(app));
    await waitReady(tabs[0]);
    await connectThroughUi(tabs[0], mcpUrl);
    for (let i = 1; i < 3; i++) {
      const t = await ctx.newPage();
      await t.goto(appUrlFor(app));
      await waitTools(t, mcpUrl);
      tabs.push(t);
    }
    const view = await tabs[0].evaluate(freshView, mcpUrl);
    if (!view?.canRefresh) throw new Error(`the connection holds no refresh token: ${JSON.stringify(view)}`);
    const directTabs = [];
    for (let i = 0; i < (withDirect ? 3 : 0); i++) {
      const d = await ctx.newPage();
      await d.goto(base.url);
      directTabs.push(d);
    }

    const tokenPosts = (from, to = Infinity) => stack.auth.requests.filter((r) => r.path === '/token' && r.method === 'POST' && r.time >= from && r.time <= to);
    const bursts = [];
    for (let k = 0; k < reps; k++) {
      // Wait until the worker's token has expired (the AS's expiry is earlier still), or until
      // it is inside the refresh margin.
      const v = await tabs[0].evaluate(freshView, mcpUrl);
      const target = (v?.expiresAt ?? Date.now()) - (waitFor === 'margin' ? margin : 0) + 300;
      const waitMs = target - Date.now();
      if (waitMs > 0) await sleep(waitMs);
      const since = Date.now();
      const mcpFrom = stack.mcp.requests.length;
      const b = await fireBurst(tabs, { url: mcpUrl });
      await sleep(200); // let any stray refresh land in the log
      const wire = stack.mcp.requests.slice(mcpFrom);
      const w = {
        tokenRequests: tokenPosts(since).length,
        // When each token request and the first/last MCP POST reached the servers, ms after the burst fired.
        tokenRequestAtMs: tokenPosts(since).map((r) => Math.round(r.time - b.fireAt)),
        mcpPostsAtMs: [wire.filter((r) => r.method === 'POST').map((r) => r.time - b.fireAt)].map((t) => [Math.round(Math.min(...t)), Math.round(Math.max(...t))])[0],
        allAnsweredMs: b.allAnsweredMs,
        latencyMs: b.latencyMs,
        failed: b.failed,
        statuses: b.statuses,
        mcp401: wire.filter((r) => r.status === 401).length,
        mcpPreflights: wire.filter((r) => r.method === 'OPTIONS').length,
      };
      if (!withDirect) {
        bursts.push({ worker: w });
        continue;
      }
      // The same burst, direct, with a fresh valid token (no refresh involved).
      const tok = await obtainToken({ issuer: stack.auth.issuer, resource: mcpUrl, redirectUri: `${base.origin}/cb` });
      const d = await fireBurst(directTabs, { url: mcpUrl, token: tok.accessToken });
      bursts.push({ worker: w, direct: { allAnsweredMs: d.allAnsweredMs, latencyMs: d.latencyMs, failed: d.failed } });
    }

    // Diagnostic: sequential calls right after the refresh. The worker refreshes when fewer than
    // REFRESH_MARGIN_MS remain, so with tokens shorter than that every call refreshes.
    const since = Date.now();
    const seq = await tabs[0].evaluate(echoBatch, { url: mcpUrl, n: 5, concurrency: 1, idBase: 900 });
    await sleep(100);
    const seqTokenRequests = tokenPosts(since).length;

    return {
      accessTokenTTLs: ttl,
      firedWhen: waitFor === 'margin' ? `token still valid, inside the worker's ${margin / 1000} s refresh margin` : 'token expired',
      tabs: 3,
      calls: TOTAL,
      bursts,
      tokenRequests: bursts.map((b) => b.worker.tokenRequests),
      allAnsweredMs: {
        worker: summary(bursts.map((b) => b.worker.allAnsweredMs)),
        ...(withDirect ? { direct: summary(bursts.map((b) => b.direct.allAnsweredMs)) } : {}),
      },
      sequentialAfterRefresh: { calls: 5, errors: seq.errors, tokenRequests: seqTokenRequests },
    };
  } finally {
    await ctx.close();
  }
}
