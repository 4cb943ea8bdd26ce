// 4. Connect: HTTP requests (as the demo AS and MCP server log them) and time from pressing
// Connect to tools listed, first time (fresh browser profile: no worker, no registration, no
// token) and returning (reload of an authorized app: the worker holds the token). Each run is
// compared with the fewest requests the specs allow (MINIMUM_* below); everything else is named.
// The fresh profiles also give the first-visit cold start (5) and the first load's assets (6).
import { appUrlFor, connectThroughUi, reloadPage, waitReady, waitTools } from './env.mjs';
import { ownAssets } from './page.mjs';
import { summary } from './stats.mjs';

/**
 * The fewest requests a browser client can make, first time, against a 2026-07-28 server that
 * needs authorization, knowing nothing beforehand and registering dynamically (MCP authorization
 * 2026-07-28; RFC 9728, RFC 8414, RFC 7591, OAuth 2.1 + PKCE, RFC 8707):
 *  1. an MCP request without a token, answered 401 with WWW-Authenticate (resource_metadata)
 *  2. GET the protected resource metadata named by resource_metadata
 *  3. GET the authorization server metadata (first well-known URL that answers)
 *  4. POST the registration endpoint (Dynamic Client Registration)
 *  5. GET the authorization endpoint (the browser's navigation; whatever the AS does between that
 *     and its redirect to the callback, login and consent pages, is the AS's, listed apart)
 *  6. POST the token endpoint (code exchange)
 *  7. POST /mcp tools/list with the token (2026-07-28 has no handshake, so nothing else is needed
 *     before it; server/discover is optional)
 * CORS preflights are the browser's, not the client's choice; they are counted and listed apart.
 */
export const MINIMUM_FIRST = [
  ['MCP request refused, 401 challenge', (r) => r.src === 'mcp' && r.method === 'POST' && r.status === 401],
  ['protected resource metadata', (r) => r.src === 'mcp' && r.method === 'GET' && r.path.startsWith('/.well-known/oauth-protected-resource')],
  ['authorization server metadata', (r) => r.src === 'as' && r.method === 'GET' && /^\/\.well-known\/(oauth-authorization-server|openid-configuration)/.test(r.path)],
  ['dynamic client registration', (r) => r.src === 'as' && r.method === 'POST' && r.path === '/reg'],
  ['authorization request', (r) => r.src === 'as' && r.method === 'GET' && r.path === '/auth'],
  ['token request (code exchange)', (r) => r.src === 'as' && r.method === 'POST' && r.path === '/token'],
  ['tools/list', (r) => r.src === 'mcp' && r.method === 'POST' && r.mcpMethod === 'tools/list' && r.status === 200],
];
/** Returning, with a valid token in the worker: the tools/list alone. */
export const MINIMUM_RETURNING = [MINIMUM_FIRST[6]];

const isAsInteraction = (r) => r.src === 'as' && (r.path.startsWith('/interaction/') || /^\/auth\/[^/]+$/.test(r.path));
/** The MCP server asking the AS about a token (RFC 7662): server to server, not the client's doing. */
const isIntrospection = (r) => r.src === 'as' && r.path === '/token/introspection';

export function label(r) {
  return `${r.src === 'as' ? 'AS' : 'MCP'} ${r.method} ${r.path}${r.mcpMethod ? ` ${r.mcpMethod}` : ''}${r.status ? ` → ${r.status}` : ''}`;
}

/** Matches a window of logged requests against a minimum sequence. */
export function account(requests, minimum) {
  const left = [...requests];
  const missing = [];
  for (const [name, match] of minimum) {
    const i = left.findIndex(match);
    if (i < 0) missing.push(name);
    else left.splice(i, 1);
  }
  const preflights = left.filter((r) => r.method === 'OPTIONS');
  const interaction = left.filter((r) => r.method !== 'OPTIONS' && isAsInteraction(r));
  const introspection = left.filter(isIntrospection);
  const extra = left.filter((r) => r.method !== 'OPTIONS' && !isAsInteraction(r) && !isIntrospection(r));
  return {
    total: requests.length,
    byClient: requests.length - introspection.length,
    minimum: minimum.length,
    missing,
    preflights: preflights.map(label),
    asInteraction: interaction.map(label),
    serverIntrospection: introspection.map(label),
    extra: extra.map(label),
    all: requests.map(label),
  };
}

export function logWindow(stack, from, to = Infinity) {
  return [
    ...stack.auth.requests.filter((r) => r.time >= from && r.time <= to).map((r) => ({ src: 'as', ...r })),
    ...stack.mcp.requests.filter((r) => r.time >= from && r.time <= to).map((r) => ({ src: 'mcp', ...r })),
  ].sort((a, b) => a.time - b.time);
}

/**
 * @param {{ browser: import('playwright-core').Browser, app: { url: string }, stack: any, firstRuns: number, reloads: number }} o
 */
export async function measureConnect({ browser, app, stack, firstRuns, reloads }) {
  const mcpUrl = stack.mcp.url;
  const first = [];
  const returning = [];
  const firstVisitReadyMs = [];
  let assets;
  let swScriptUrl;
  let connectedAssets;
  let reloadAttempts = 0;
  for (let i = 0; i < firstRuns; i++) {
    const ctx = await browser.newContext();
    try {
      const page = await ctx.newPage();
      await page.goto(appUrlFor(app));
      const readyAt = await waitReady(page);
      firstVisitReadyMs.push(readyAt - (await page.evaluate(() => performance.timeOrigin)));
      if (i === 0) {
        assets = await page.evaluate(ownAssets);
        swScriptUrl = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
      }
      const from = Date.now();
      const m = await connectThroughUi(page, mcpUrl);
      // The document back from the authorization server, tools listed: what it fetched to get there.
      if (i === 0) connectedAssets = await page.evaluate(ownAssets);
      const acc = account(logWindow(stack, from - 1, Math.ceil(m.toolsAt) + 1), MINIMUM_FIRST);
      first.push({
        ms: m.toolsAt - m.clickAt,
        toNeedsAuthorizationMs: m.needsAuthAt - m.clickAt,
        authorizeToToolsMs: m.toolsAt - m.authorizeClickAt,
        requests: acc,
      });
      for (let k = 0; k < reloads; k++) {
        const rFrom = Date.now();
        reloadAttempts += (await reloadPage(page)) - 1;
        const toolsAt = await waitTools(page, mcpUrl);
        const origin = await page.evaluate(() => performance.timeOrigin);
        const accR = account(logWindow(stack, rFrom - 1, Math.ceil(toolsAt) + 1), MINIMUM_RETURNING);
        returning.push({ ms: toolsAt - origin, requests: accR });
      }
    } finally {
      await ctx.close();
    }
  }
  const counts = (runs) => summary(runs.map((r) => r.requests.byClient));
  return {
    minimumFirst: MINIMUM_FIRST.map(([n]) => n),
    minimumReturning: MINIMUM_RETURNING.map(([n]) => n),
    first: {
      ms: summary(first.map((r) => r.ms)),
      toNeedsAuthorizationMs: summary(first.map((r) => r.toNeedsAuthorizationMs)),
      authorizeToToolsMs: summary(first.map((r) => r.authorizeToToolsMs)),
      requests: counts(first),
      preflights: summary(first.map((r) => r.requests.preflights.length)),
      asInteraction: summary(first.map((r) => r.requests.asInteraction.length)),
      extra: summary(first.map((r) => r.requests.extra.length)),
      runs: first,
    },
    returning: {
      ms: summary(returning.map((r) => r.ms)),
      requests: counts(returning),
      preflights: summary(returning.map((r) => r.requests.preflights.length)),
      extra: summary(returning.map((r) => r.requests.extra.length)),
      runs: returning,
    },
    firstVisitReadyMs,
    abortedReloadsRetried: reloadAttempts,
    note: 'requests = everything the AS and MCP server logged between Connect (or reload) and tools listed, except the MCP server\'s own introspection calls',
    assets,
    swScriptUrl,
    connectedAssets,
  };
}

