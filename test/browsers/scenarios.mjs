// The cross-browser suite's steps (issue 17 item 1), the same in every engine. A scenario is one
// fresh demo stack and one browser tab; its steps run in order and each is reported on its own. A
// step that fails leaves the rest of its scenario unrun (reported as failed: nothing after it was
// shown to work).
import { dpopKeys, engineFeatures, frameReadable, mcpTransport, pageReadable, policyEnforced } from './page.mjs';
import { cardOf, ui, waitForState, waitUntil } from './ui.mjs';

/**
 * @typedef {import('./drivers/types.mjs').Driver} Driver
 * @typedef {ReturnType<typeof import('./ui.mjs').ui>} Ui
 * @typedef {{ d: Driver, u: Ui, appUrl: string, appOrigin: string, sandbox: { origin: string } | { error: string }, stack: any, snapshots: { label: string, text: string }[], notes: string[], features?: Record<string, unknown> }} Ctx
 * @typedef {{ name: string, run: (ctx: Ctx) => Promise<void> }} Step
 * @typedef {{ name: string, stack: Record<string, unknown>, steps: Step[] }} Scenario
 */

function assert(ok, message) {
  if (!ok) throw new Error(message);
}

/** Tokens the MCP server received, without their scheme. @param {any} stack */
const usedTokens = (stack) => [...new Set(stack.mcp.authorizations.map((/** @type {string} */ h) => h.replace(/^\S+\s+/, '')))];
const tokenRequests = (stack, grantType) => stack.auth.requests.filter((r) => r.method === 'POST' && r.path === '/token' && r.grantType === grantType).length;
const revocations = (stack) => stack.auth.requests.filter((r) => r.method === 'POST' && r.path === '/token/revocation').length;
/** The runner sets `stack.authorizePath` from the AS metadata. */
const authorizationRequests = (stack) => stack.auth.requests.filter((r) => r.method === 'GET' && r.path === stack.authorizePath).length;

/** Records everything page code can read now, for the custody step. @param {Ctx} ctx @param {string} label */
async function snapshot(ctx, label) {
  ctx.snapshots.push({ label, text: `${await ctx.d.url()}\n${await ctx.d.run(pageReadable)}` });
}

/** The person at the demo AS: the sign-in page (a display name), then the consent page's Approve. @param {Ctx} ctx */
async function approveAtAuthorizationServer(ctx) {
  const { u, d, stack } = ctx;
  const page = await waitUntil(async () => {
    if (!(await d.url()).startsWith(stack.auth.issuer)) return undefined;
    return (await u.describe(['input#name'])).found ? 'login' : (await u.describe(['button:text(Approve)'])).found ? 'consent' : undefined;
  }, 'the sign-in or consent page');
  if (page === 'login') {
    await u.fill(['input#name'], 'Ada');
    await u.click(['button:text(Continue)']);
  }
  await u.click(['button:text(Approve)']);
}

/** @param {Ctx} ctx @param {string} name @param {unknown} args @returns {Promise<string>} the result's text */
async function callTool(ctx, name, args) {
  const { u, stack } = ctx;
  const card = cardOf(stack.mcp.url);
  const toolsTab = [card, '[role=tab]:starts(Tools)'];
  if ((await u.attr(toolsTab, 'aria-selected')) !== 'true') await u.click(toolsTab);
  await u.click([card, `[role=option][data-key="${name}"]`]);
  const detail = [card, `section[data-tool="${name}"]`];
  await u.click([...detail, 'button:text(JSON)']);
  await u.fill([...detail, 'textarea'], JSON.stringify(args));
  const out = [card, `output[data-tool-result="${name}"]`];
  // A result of an earlier call stays until the new one starts: wait for the new one to be seen.
  const before = await u.describe(out);
  await u.click([...detail, `button:text(Call ${name})`]);
  const done = await waitUntil(
    async () => {
      const o = await u.describe(out);
      if (!o.found || o.attrs?.['data-state'] === 'running') return undefined;
      if (before.found && o.text === before.text && o.attrs?.['data-call'] === before.attrs?.['data-call']) return undefined;
      return o;
    },
    `the result of ${name}`,
    30_000,
  );
  assert(done.attrs?.['data-state'] !== 'error', `${name} failed: ${done.text}`);
  return done.text ?? '';
}

/** @param {Ctx} ctx @param {string} text */
async function echoRoundTrip(ctx, text) {
  const got = await callTool(ctx, 'echo', { text });
  assert(got === text, `echo answered "${got}", expected "${text}"`);
}

/**
 * Opens the add form (folded once a server exists) and connects, as a person would.
 * @param {Ctx} ctx @param {boolean} keepSignedIn @param {string} [query] of the app's URL (`?protocol=…`)
 */
async function addThroughForm(ctx, keepSignedIn, query = '') {
  const { u, d, appUrl, stack } = ctx;
  await d.goto(`${appUrl}${query}`);
  const add = await u.waitFor(['details.add']);
  if (add.attrs?.open === undefined) await u.click(['details.add > summary']);
  await u.fill(['input#url'], stack.mcp.url);
  if (keepSignedIn) await u.click(['input#keep']);
  assert((await u.describe(['input#keep'])).checked === keepSignedIn, 'the Keep me signed in box is not as chosen');
  await u.waitFor(['details.add button.primary[type=submit]:not([disabled])']);
  await u.click(['details.add button.primary[type=submit]']);
  await waitForState(u, stack.mcp.url, 'needs-authorization');
}

/** @param {Ctx} ctx */
async function authorize(ctx) {
  const { u, stack, appUrl } = ctx;
  await u.click([cardOf(stack.mcp.url), 'button:text(Authorize)']);
  // An auto-approving demo AS sends the browser straight back: no page of its own to act on.
  if (!stack.autoApprove) await approveAtAuthorizationServer(ctx);
  await u.waitForUrl((url) => url.startsWith(appUrl), 'the return to the app');
  await waitForState(u, stack.mcp.url, 'connected', 30_000);
  // The redirect URI carries the code: the worker answers it, it never becomes a document.
  assert(!(await ctx.d.url()).includes('callback'), `the callback became a document: ${await ctx.d.url()}`);
}

/** @param {Ctx} ctx */
async function reloadStaysConnected(ctx) {
  const { d, u, stack } = ctx;
  const authorizations = authorizationRequests(stack);
  await d.reload();
  await waitForState(u, stack.mcp.url, 'connected');
  await echoRoundTrip(ctx, `after reload in ${d.engine}`);
  assert(authorizationRequests(stack) === authorizations, 'the reload needed a new authorization');
  await snapshot(ctx, 'after reload');
}

/** Disconnect: the worker revokes at the AS (RFC 7009), and no token it held is active afterwards. @param {Ctx} ctx */
async function disconnectRevokes(ctx) {
  const { u, stack } = ctx;
  const active = [];
  for (const s of stack.auth.secrets()) if ((await stack.auth.introspect(s)).active) active.push(s);
  assert(active.length >= 1, 'no active token before Disconnect (nothing to revoke)');
  const before = revocations(stack);
  await u.click([cardOf(stack.mcp.url), 'button:text(Disconnect)']);
  await waitForState(u, stack.mcp.url, 'disconnected');
  // The AS's word first: what the card says is checked after what really happened.
  assert(revocations(stack) > before, 'the demo AS saw no revocation request');
  for (const t of active) assert(!(await stack.auth.introspect(t)).active, `a token (${t.slice(0, 4)}…) is still active after Disconnect`);
  const status = await u.text([cardOf(stack.mcp.url), '[role=status]']);
  assert(status.includes('tokens revoked'), `the card says "${status}", not that the tokens were revoked`);
  await snapshot(ctx, 'after disconnect');
}

/**
 * Custody: no secret the AS issued or received (access and refresh tokens, codes, verifiers) in
 * anything page code could read at any snapshot. `allowInIndexedDb`: the worker's `tokens` store is
 * the one documented exception (README, "Tokens"): DPoP-bound tokens are kept there (useless
 * without the non-extractable key), and Bearer tokens only with "Keep me signed in" (RFC 10017
 * §8.2). Codes and verifiers have no exception anywhere.
 * @param {Ctx} ctx
 */
function checkCustody(ctx, { allowInIndexedDb = false } = {}) {
  const secrets = ctx.stack.auth.secrets();
  // Controls: the secrets are real, the MCP server got tokens from that set, and the snapshots
  // captured what the page legitimately shows (the echo canaries).
  assert(secrets.length >= 3 && secrets.every((s) => s.length >= 16), `too few secrets to look for (${secrets.length})`);
  const used = usedTokens(ctx.stack);
  assert(used.length > 0 && used.every((t) => secrets.includes(t)), 'the MCP server got tokens the AS did not record');
  assert(ctx.snapshots.length >= 3, `only ${ctx.snapshots.length} snapshots were taken`);
  assert(ctx.snapshots.some((s) => s.text.includes(`canary in ${ctx.d.engine}`)), 'the snapshots do not contain the tool result the page showed');
  const leaks = [];
  for (const { label, text } of ctx.snapshots) {
    let readable = text;
    if (allowInIndexedDb) {
      const nl = text.indexOf('\n');
      const parts = JSON.parse(text.slice(nl + 1));
      delete parts.indexedDB?.keyhole?.tokens;
      readable = `${text.slice(0, nl)}\n${JSON.stringify(parts)}`;
    }
    for (const s of secrets) if (readable.includes(s)) leaks.push(`${s.slice(0, 4)}… ${label}`);
  }
  assert(leaks.length === 0, `secrets readable by page code: ${leaks.join('; ')}`);
}

/** @param {Ctx} ctx */
async function firstVisitThroughConnectLink(ctx) {
  const { d, u, appUrl, stack } = ctx;
  await d.goto(`${appUrl}?connect=${encodeURIComponent(stack.mcp.url)}`);
  await waitForState(u, stack.mcp.url, 'needs-authorization', 30_000);
  const url = await d.url();
  assert(!url.includes('connect='), `the one-shot ?connect= stayed in the URL: ${url}`);
  ctx.features = await d.run(engineFeatures);
  ctx.notes.push(`features: ${JSON.stringify({ ...ctx.features, userAgent: undefined })}`);
}

/** The sum app under sum-app's result: its view in the card, the sandbox proxy's frame, the app's frame in that. */
const appView = (/** @type {Ctx} */ ctx) => [cardOf(ctx.stack.mcp.url), 'section[data-tool="sum-app"] mcp-app-view'];
const proxyFrame = (/** @type {Ctx} */ ctx) => [[...appView(ctx), 'iframe']];
const appFrame = (/** @type {Ctx} */ ctx) => [...proxyFrame(ctx), ['iframe']];
/** The app's document, for the person's gestures in it. @param {Ctx} ctx */
const inApp = (ctx) => ui(ctx.d.frame(appFrame(ctx)));
const SANDBOX_OFF = 'no sandbox origin';

/** The sandbox proxy page's own state, for a failure's message. */
function proxyState() {
  const ancestors = /** @type {Location & { ancestorOrigins?: DOMStringList }} */ (location).ancestorOrigins;
  return { url: location.href, body: document.body.textContent, frames: document.querySelectorAll('iframe').length, ancestorOrigins: ancestors ? Array.from(ancestors) : 'not supported' };
}

/** Waits until an element of the app's document has exactly `want` as its text. @param {Ctx} ctx @param {string} css @param {string} want */
async function appShows(ctx, css, want) {
  const a = inApp(ctx);
  await waitUntil(async () => (await a.describe([css])).text === want, `the app's ${css} to say ${want}`, 30_000).catch(async (err) => {
    const said = await a.describe([css]).catch(() => undefined);
    // No app document: what the proxy page says instead, and where it thinks it is framed.
    const proxy = said ? undefined : await ctx.d.frame(proxyFrame(ctx)).run(proxyState).catch((e) => `unreadable: ${e.message}`);
    throw new Error(`${err.message}; ${said ? `the app's ${css} says ${JSON.stringify(said.text)}` : `the proxy: ${JSON.stringify(proxy)}`}`);
  });
}

/**
 * The person adds two numbers in the app. `ask`: the first call of app-add, which the card asks the
 * person about before anything reaches the server (issue 19: asked before the first call of each
 * tool an app makes, remembered for the session).
 * @param {Ctx} ctx @param {number} a @param {number} b @param {{ ask: boolean }} opts
 */
async function addInApp(ctx, a, b, { ask }) {
  const { u, stack } = ctx;
  const app = inApp(ctx);
  const calls = stack.mcp.toolCalls.length;
  await app.fill(['#a'], String(a));
  await app.fill(['#b'], String(b));
  await app.click(['button:text(Add in the app)']);
  const allow = [...appView(ctx), 'button:text(Allow app-add)'];
  if (ask) {
    await u.waitFor(allow).catch(async (err) => {
      // What the app says it did, and the host's log of what it received.
      const status = (await app.describe(['#status']).catch(() => ({ text: '(unreadable)' }))).text;
      const log = (await u.describe([...appView(ctx), '[data-app-log]'])).text;
      throw new Error(`${err.message}; the app's status: ${JSON.stringify(status)}; the host's log: ${JSON.stringify(log)}`);
    });
    const early = stack.mcp.toolCalls.slice(calls).map((/** @type {{ name: string }} */ t) => t.name);
    assert(!early.includes('app-add'), 'app-add reached the server before the person allowed it');
    await u.click(allow);
  }
  await waitUntil(async () => (await app.describe([`li[data-sum="${a + b}"]`])).found, `the app to draw ${a} + ${b}`, 30_000);
  if (!ask) assert(!(await u.describe(allow)).found, 'the card asked again for a tool the person already allowed');
  const call = stack.mcp.toolCalls.slice(calls).find((/** @type {{ name: string }} */ t) => t.name === 'app-add');
  assert(call, 'the demo MCP server received no app-add');
  assert(JSON.stringify(call.arguments) === JSON.stringify({ a, b }), `app-add got ${JSON.stringify(call.arguments)}`);
}

/** @type {Scenario[]} */
export const scenarios = [
  {
    name: 'DPoP',
    // Consent page on (autoApprove off) and 8-second tokens, so a refresh is due within the run.
    stack: { autoApprove: false, accessTokenTTL: 8 },
    steps: [
      { name: 'first visit through a ?connect= link', run: firstVisitThroughConnectLink },
      {
        name: 'authorize at the demo AS (sign-in, consent)',
        run: async (ctx) => {
          await authorize(ctx);
          await snapshot(ctx, 'after authorize');
        },
      },
      {
        name: 'tool call',
        run: async (ctx) => {
          await echoRoundTrip(ctx, `canary in ${ctx.d.engine}`);
          const sum = await callTool(ctx, 'add', { a: 20, b: 22 });
          assert(sum.includes('42'), `add answered "${sum}"`);
          // A streamed answer (SSE with progress) through the worker's fetch handler.
          const count = await callTool(ctx, 'slow-count', { steps: 3, delayMs: 100 });
          assert(count.includes('Counted to 3'), `slow-count answered "${count}"`);
          // The port transport where the engine can transfer streams, the fetch-event path elsewhere.
          const t = await ctx.d.run(mcpTransport);
          ctx.notes.push(`MCP transport: ${t.transport} (transferable streams: ${t.transferable})`);
          assert(t.transport === (t.transferable ? 'port' : 'fetch'), `the app chose the ${t.transport} transport, with transferable streams ${t.transferable}`);
          await snapshot(ctx, 'after tool calls');
        },
      },
      {
        name: 'DPoP with a non-extractable key',
        run: async (ctx) => {
          const schemes = new Set(ctx.stack.mcp.authorizations.map((h) => h.split(' ')[0]));
          assert(schemes.size === 1 && schemes.has('DPoP'), `the MCP server got ${[...schemes].join(', ')} tokens, not DPoP`);
          const keys = await ctx.d.run(dpopKeys);
          assert(keys.stored >= 1, 'no DPoP key in the worker’s store');
          for (const k of keys.keys) {
            assert(k.isCryptoKey, 'a stored DPoP key is not a CryptoKey');
            assert(k.extractable === false, 'the DPoP private key is extractable');
            assert(k.exported.startsWith('refused'), `exporting the DPoP private key: ${k.exported}`);
          }
          ctx.notes.push(`DPoP key: ${JSON.stringify(keys.keys[0])}`);
        },
      },
      {
        name: 'strict CSP: Trusted Types required',
        run: async (ctx) => {
          const p = await ctx.d.run(policyEnforced);
          // eval is not asserted: Chromium's and Firefox's automation exempt the scripts they
          // evaluate from the page's 'unsafe-eval' rule (WebKit's does not), so the answer would
          // describe the driver, not the page.
          ctx.notes.push(`policy: ${JSON.stringify(p)}`);
          // An engine without Trusted Types has no sink check to make: a gap docs/browsers.md lists,
          // not a failure (the app's policy code already runs without the API).
          if (!p.trustedTypes) return ctx.notes.push('GAP: no Trusted Types in this engine');
          assert(p.htmlSink.startsWith('blocked'), `a string assigned to innerHTML is ${p.htmlSink}: the CSP's require-trusted-types-for is not enforced`);
        },
      },
      { name: 'reload, still connected', run: reloadStaysConnected },
      {
        name: 'refresh of an expired access token',
        run: async (ctx) => {
          const { stack } = ctx;
          const before = tokenRequests(stack, 'refresh_token');
          const lastToken = usedTokens(stack).at(-1);
          const { exp } = await stack.auth.introspect(lastToken);
          // Until the token the server last saw has expired at the AS, so the next call needs a new one.
          const wait = (Number(exp) || 0) * 1000 - Date.now() + 500;
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          await echoRoundTrip(ctx, `after refresh in ${ctx.d.engine}`);
          assert(tokenRequests(stack, 'refresh_token') > before, 'no refresh_token grant reached the demo AS');
          assert(usedTokens(stack).at(-1) !== lastToken, 'the call after expiry used the expired token');
          assert(authorizationRequests(stack) === 1, 'the refresh needed a new authorization');
          await snapshot(ctx, 'after refresh');
        },
      },
      { name: 'Disconnect revokes at the demo AS', run: disconnectRevokes },
      {
        name: 'custody: no token, code or verifier readable by the page (outside the DPoP-bound token store)',
        run: async (ctx) => checkCustody(ctx, { allowInIndexedDb: true }),
      },
    ],
  },
  ...[false, true].map((keep) => ({
    name: keep ? 'Bearer, Keep me signed in' : 'Bearer, memory only',
    stack: { autoApprove: true, bearerOnly: true },
    steps: [
      {
        name: `connect through the add form${keep ? ' with Keep me signed in' : ''}`,
        run: async (/** @type {Ctx} */ ctx) => {
          await addThroughForm(ctx, keep);
          await authorize(ctx);
          await snapshot(ctx, 'after authorize');
        },
      },
      {
        name: 'tool call with a Bearer token',
        run: async (/** @type {Ctx} */ ctx) => {
          await echoRoundTrip(ctx, `canary in ${ctx.d.engine}`);
          const schemes = new Set(ctx.stack.mcp.authorizations.map((/** @type {string} */ h) => h.split(' ')[0]));
          assert(schemes.size === 1 && schemes.has('Bearer'), `the MCP server got ${[...schemes].join(', ')} tokens`);
          await snapshot(ctx, 'after tool call');
        },
      },
      {
        name: keep ? 'Bearer tokens kept in IndexedDB' : 'Bearer tokens kept out of IndexedDB',
        run: async (/** @type {Ctx} */ ctx) => {
          const last = JSON.parse(ctx.snapshots.at(-1).text.slice(ctx.snapshots.at(-1).text.indexOf('\n') + 1));
          const tokens = JSON.parse(last.indexedDB?.keyhole?.tokens ?? '[]');
          assert(tokens.length === (keep ? 1 : 0), `${tokens.length} token records in IndexedDB`);
        },
      },
      { name: 'reload, still connected', run: reloadStaysConnected },
      { name: 'Disconnect revokes at the demo AS', run: disconnectRevokes },
      {
        name: keep ? 'custody outside IndexedDB (the documented Keep me signed in exception)' : 'custody: no token, code or verifier readable by the page',
        run: async (/** @type {Ctx} */ ctx) => checkCustody(ctx, { allowInIndexedDb: keep }),
      },
    ],
  })),
  {
    // Issue 19: the sum app in the sandbox proxy (its own origin, KEYHOLE_SANDBOX_URL) and its
    // app-only tool call through the worker, the same steps as test/e2e/apps.spec.ts.
    name: 'MCP Apps',
    stack: { autoApprove: true },
    steps: [
      {
        name: 'connect on 2026-07-28',
        run: async (ctx) => {
          if ('error' in ctx.sandbox) throw new Error(`${SANDBOX_OFF}: ${ctx.sandbox.error}`);
          await addThroughForm(ctx, false, '?protocol=2026-07-28');
          await authorize(ctx);
          const facts = await ctx.u.text([cardOf(ctx.stack.mcp.url), 'dl.facts']);
          assert(facts.includes('2026-07-28'), `the card's facts do not name 2026-07-28: ${facts}`);
        },
      },
      {
        name: 'sum-app: the app renders on the sandbox origin with the tool input and result',
        run: async (ctx) => {
          const { d, u } = ctx;
          const origin = /** @type {{ origin: string }} */ (ctx.sandbox).origin;
          const text = await callTool(ctx, 'sum-app', { a: 20, b: 22 });
          assert(text.includes('42'), `sum-app answered "${text}"`);
          const src = (await u.waitFor([...appView(ctx), 'iframe'], 30_000)).attrs?.src;
          assert(src?.startsWith(`${origin}/`), `the app's frame is at ${src}, not on the sandbox origin ${origin}`);
          // The proxy's own word for where it runs, and the app's: an opaque origin inside it.
          // Until the proxy's page has loaded, the frame holds its initial about:blank.
          let seen = 'nothing';
          const proxy = await waitUntil(
            async () => {
              const read = await d.frame(proxyFrame(ctx)).run(frameReadable);
              seen = `${read.url} (origin ${read.origin})`;
              return read.url.startsWith(`${origin}/`) ? read : undefined;
            },
            'the sandbox proxy page in its frame',
            30_000,
          ).catch((err) => {
            throw new Error(`${err.message}; the frame holds ${seen}`);
          });
          assert(proxy.origin === origin && proxy.origin !== ctx.appOrigin, `the sandbox proxy runs on ${proxy.origin}`);
          ctx.notes.push(`sandbox proxy: ${JSON.stringify(await d.frame(proxyFrame(ctx)).run(proxyState))}`);
          await appShows(ctx, '#input', '{"a":20,"b":22}');
          await appShows(ctx, '#result', '{"sum":42}');
          const app = await d.frame(appFrame(ctx)).run(frameReadable);
          assert(app.origin === 'null', `the app's document has the origin ${app.origin}, not an opaque one`);
        },
      },
      {
        name: 'the person allows the app’s app-add call; the server gets it with the token; the app draws it',
        run: async (ctx) => {
          const { stack } = ctx;
          const requests = stack.mcp.requests.length;
          const authorizations = stack.mcp.authorizations.length;
          await addInApp(ctx, 4, 5, { ask: true });
          // Through the worker, like the person's own calls: with a token the demo AS issued.
          const calls = stack.mcp.requests.slice(requests).filter((/** @type {{ mcpMethod?: string }} */ r) => r.mcpMethod === 'tools/call');
          assert(calls.length > 0 && calls.every((/** @type {{ credentialed?: boolean }} */ r) => r.credentialed), 'a tools/call reached the server without credentials');
          const secrets = stack.auth.secrets();
          const sent = stack.mcp.authorizations.slice(authorizations).map((/** @type {string} */ h) => h.replace(/^\S+\s+/, ''));
          assert(sent.length > 0 && sent.every((/** @type {string} */ t) => secrets.includes(t)), 'app-add did not carry a token the demo AS issued');
          // Remembered for the session: the next call is not asked about.
          await addInApp(ctx, 10, 20, { ask: false });
        },
      },
      {
        name: 'custody: no token in anything the sandbox proxy or the app can read',
        run: async (ctx) => {
          const { d, stack } = ctx;
          const secrets = stack.auth.secrets();
          assert(secrets.length >= 1 && usedTokens(stack).every((t) => secrets.includes(t)), 'no real secrets to look for');
          const proxy = await d.frame(proxyFrame(ctx)).run(frameReadable);
          const app = await d.frame(appFrame(ctx)).run(frameReadable);
          assert(proxy.controlled === false, `the sandbox proxy is controlled by a service worker (${proxy.controlled})`);
          // Control: the reads hold what the app legitimately showed.
          assert(app.dom.includes('{"sum":42}') && app.dom.includes('data-sum="30"'), 'the app read does not contain what the app showed');
          const leaks = [];
          for (const [where, read] of [['sandbox proxy', proxy], ['app', app]]) {
            const text = JSON.stringify(read);
            for (const s of secrets) if (text.includes(s)) leaks.push(`${s.slice(0, 4)}… in the ${where}`);
          }
          assert(leaks.length === 0, `secrets readable in the sandbox: ${leaks.join('; ')}`);
          ctx.notes.push(`sandbox proxy storage: ${JSON.stringify({ local: proxy.local, indexedDB: proxy.indexedDB })}; app: ${JSON.stringify({ local: app.local, cookie: app.cookie })}`);
        },
      },
    ],
  },
];
