// The cross-browser suite's steps (issue 17 item 1), the same in every engine. A scenario is one
// fresh demo stack and one browser tab; its steps run in order and each is reported on its own. A
// step that fails leaves the rest of its scenario unrun (reported as failed: nothing after it was
// shown to work).
import { dpopKeys, engineFeatures, pageReadable, policyEnforced } from './page.mjs';
import { cardOf, waitForState, waitUntil } from './ui.mjs';

/**
 * @typedef {import('./drivers/types.mjs').Driver} Driver
 * @typedef {ReturnType<typeof import('./ui.mjs').ui>} Ui
 * @typedef {{ d: Driver, u: Ui, appUrl: string, appOrigin: string, stack: any, snapshots: { label: string, text: string }[], notes: string[], features?: Record<string, unknown> }} Ctx
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

/** Opens the add form (folded once a server exists) and connects, as a person would. @param {Ctx} ctx @param {boolean} keepSignedIn */
async function addThroughForm(ctx, keepSignedIn) {
  const { u, d, appUrl, stack } = ctx;
  await d.goto(appUrl);
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
];
