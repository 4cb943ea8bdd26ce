/**
 * Hostile and broken servers, table-driven (issue 7). Each case runs the app in Chromium against
 * a peer (support/peer.mjs) that is honest but for one answer, and asserts:
 * - the card ends in the expected state, with a message naming the step (and the rule);
 * - IndexedDB holds no token and no half-written record that the case must not leave;
 * - the peer received no request after the violation (but those the case allows);
 * - no server text was rendered as HTML (every payload that could be tries to run script).
 */
import type { Page } from '@playwright/test';
import { test } from './support/app.ts';
import { expect } from './support/guard.ts';
import { card, expectState, openAndConnect, readIndexedDb, fillArguments, openTool } from './support/keyhole.ts';
import { startPeer, type Hook, type Peer, type PeerRequest } from './support/peer.mjs';

/** Server text that would run script if it were ever rendered as HTML. */
const XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
const BIG = 'x'.repeat(1_100_000);

type Stage = 'connect' | 'authorize' | 'call';

interface Case {
  name: string;
  hooks: Record<string, Hook>;
  /** How far the person gets before the violation: pressing Connect, Authorize, or calling a tool. */
  stage: Stage;
  state: 'error' | 'needs-authorization' | 'authorizing' | 'connected';
  /** The card's message: the step's label, and where it matters the rule. */
  message: RegExp;
  /** The request whose answer broke a rule: `METHOD /path`. Nothing may follow it but `allowedAfter`. */
  violation: RegExp;
  allowedAfter?: RegExp;
  /** Tokens may legitimately remain (the violation came after a good token response). */
  tokensMayRemain?: boolean;
  /** Keeps answering Authorize while the card asks for it (loops the app must bound). */
  reauthorize?: boolean;
  /** Waits this long (ms) after connecting before calling, e.g. for a token to expire. */
  delayCall?: number;
  /** `fetch`: the page sends MCP requests as fetch events rather than over the port (`?transport=fetch`). */
  transport?: 'fetch';
  /** Extra checks at the end. */
  check?: (peer: Peer, page: Page) => Promise<void>;
}

/** One JSON-RPC answer of 17 MB, past Keyhole's 16 MB limit for one MCP message. */
const OVERSIZE = `{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"${'x'.repeat(17 * 1024 * 1024)}"}]}}`;

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => ({ status, body: body as object, headers });
const text = (body: string, status = 200, contentType = 'text/plain') => ({ status, body, headers: { 'content-type': contentType } });
const patch = (change: (body: Record<string, unknown>, req: PeerRequest, peer: Peer) => void): Hook => (reply, req, peer) => {
  if (reply.body && typeof reply.body === 'object' && !Buffer.isBuffer(reply.body)) change(reply.body as Record<string, unknown>, req, peer);
};
const redirectTo = (change: (to: URL) => void): Hook => (reply) => {
  const to = new URL(String(reply.headers?.location));
  change(to);
  return { status: 302, headers: { location: to.href } };
};
/** A hook for the MCP endpoint that only changes answers to one JSON-RPC method. */
const onMcpMethod = (method: string, hook: Hook): Hook => (reply, req, peer) => {
  const body = (req as PeerRequest & { body?: string }).body ?? '';
  if (body.includes(`"method":"${method}"`)) return hook(reply, req, peer);
  return undefined;
};

const PRM = /^GET \/\.well-known\/oauth-protected-resource/;
const AS = /^GET \/\.well-known\/(oauth-authorization-server|openid-configuration)/;
const REGISTER = /^POST \/register/;
const AUTHORIZE = /^GET \/authorize/;
const TOKEN = /^POST \/token/;
const MCP = /^(POST|GET|DELETE|OPTIONS) \/mcp/;
/** After giving up on a document, the app may still try the other well-known locations. */
const MORE_DISCOVERY = /^GET \/\.well-known\//;

/** An unusable challenge is ignored like a missing one: discovery goes to the well-known URLs only. */
async function wellKnownOnly(peer: Peer): Promise<void> {
  const prm = peer.requests.filter((r) => PRM.test(line(r)));
  expect(prm.length).toBeGreaterThan(0);
  expect(prm.every((r) => r.path.startsWith('/.well-known/oauth-protected-resource'))).toBe(true);
}

const prmStep = /^Protected resource metadata: /;
const asStep = /^Authorization server metadata: /;

const cases: Case[] = [
  // Protected resource metadata (RFC 9728)
  { name: 'resource metadata naming another resource', hooks: { prm: patch((b) => (b.resource = 'http://localhost:9/another/mcp')) }, stage: 'connect', state: 'error', message: prmStep, violation: PRM, allowedAfter: MORE_DISCOVERY },
  { name: 'resource metadata without authorization_servers', hooks: { prm: patch((b) => delete b.authorization_servers) }, stage: 'connect', state: 'error', message: prmStep, violation: PRM, allowedAfter: MORE_DISCOVERY },
  { name: 'resource metadata with empty authorization_servers', hooks: { prm: patch((b) => (b.authorization_servers = [])) }, stage: 'connect', state: 'error', message: prmStep, violation: PRM, allowedAfter: MORE_DISCOVERY },
  { name: 'resource metadata whose authorization_servers are not URLs', hooks: { prm: patch((b) => (b.authorization_servers = ['not a url', XSS])) }, stage: 'connect', state: 'error', message: prmStep, violation: PRM, allowedAfter: MORE_DISCOVERY },
  { name: 'resource metadata naming a javascript: authorization server', hooks: { prm: patch((b) => (b.authorization_servers = ['javascript:alert(1)'])) }, stage: 'connect', state: 'error', message: /^Protected resource metadata: .*scheme/, violation: PRM, allowedAfter: MORE_DISCOVERY },
  { name: 'resource metadata naming an http authorization server off loopback', hooks: { prm: patch((b) => (b.authorization_servers = ['http://as.example.com'])) }, stage: 'connect', state: 'error', message: /(Protected resource|Authorization server) metadata: .*http/, violation: PRM, allowedAfter: MORE_DISCOVERY },
  { name: 'resource metadata that is not JSON', hooks: { prm: () => text('hello', 200, 'application/json') }, stage: 'connect', state: 'error', message: prmStep, violation: PRM, allowedAfter: MORE_DISCOVERY },
  { name: 'resource metadata that is a JSON array', hooks: { prm: () => json([1, 2]) }, stage: 'connect', state: 'error', message: prmStep, violation: PRM, allowedAfter: MORE_DISCOVERY },
  { name: 'resource metadata over 1 MB', hooks: { prm: patch((b) => (b.padding = BIG)) }, stage: 'connect', state: 'error', message: /(Protected resource metadata|Network): .*limit/, violation: PRM, allowedAfter: MORE_DISCOVERY },
  { name: 'resource metadata served as text/html', hooks: { prm: (r) => ({ ...r, headers: { 'content-type': 'text/html' } }) }, stage: 'connect', state: 'error', message: prmStep, violation: PRM, allowedAfter: MORE_DISCOVERY },
  { name: 'resource metadata that redirects', hooks: { prm: () => ({ status: 302, headers: { location: 'http://localhost:9/elsewhere' } }) }, stage: 'connect', state: 'error', message: /redirect/, violation: PRM, allowedAfter: MORE_DISCOVERY },
  { name: 'resource metadata that never finishes answering', hooks: { prm: () => ({ stream: (res) => res.writeHead(200, { 'content-type': 'application/json' }) && res.write('{"resource":') }) }, stage: 'connect', state: 'error', message: /did not finish|within/, violation: PRM, allowedAfter: MORE_DISCOVERY },

  // Authorization server metadata (RFC 8414)
  { name: 'authorization server metadata whose issuer is another server', hooks: { 'as-metadata': patch((b) => (b.issuer = 'http://localhost:9')) }, stage: 'connect', state: 'error', message: /^Authorization server metadata: .*issuer/, violation: AS, allowedAfter: AS },
  { name: 'authorization server metadata whose issuer differs by a trailing slash', hooks: { 'as-metadata': patch((b, _r, p) => (b.issuer = `${p.origin}/`)) }, stage: 'connect', state: 'error', message: /^Authorization server metadata: .*issuer/, violation: AS, allowedAfter: AS },
  { name: 'authorization server metadata whose issuer differs in case', hooks: { 'as-metadata': patch((b, _r, p) => (b.issuer = p.origin.replace('localhost', 'LOCALHOST'))) }, stage: 'connect', state: 'error', message: /^Authorization server metadata: .*issuer/, violation: AS, allowedAfter: AS },
  { name: 'a token endpoint on http off loopback', hooks: { 'as-metadata': patch((b) => (b.token_endpoint = 'http://as.example.com/token')) }, stage: 'connect', state: 'error', message: /^Authorization server metadata: .*http/, violation: AS, allowedAfter: AS },
  { name: 'an authorization endpoint on http off loopback', hooks: { 'as-metadata': patch((b) => (b.authorization_endpoint = 'http://as.example.com/authorize')) }, stage: 'connect', state: 'error', message: /^Authorization server metadata: .*http/, violation: AS, allowedAfter: AS },
  { name: 'no code_challenge_methods_supported', hooks: { 'as-metadata': patch((b) => delete b.code_challenge_methods_supported) }, stage: 'connect', state: 'error', message: /^Authorization server metadata: .*S256/, violation: AS, allowedAfter: AS },
  { name: 'PKCE without S256', hooks: { 'as-metadata': patch((b) => (b.code_challenge_methods_supported = ['plain'])) }, stage: 'connect', state: 'error', message: /^Authorization server metadata: .*S256/, violation: AS, allowedAfter: AS },
  { name: 'authorization server metadata that is not JSON', hooks: { 'as-metadata': () => text(XSS, 200, 'application/json') }, stage: 'connect', state: 'error', message: asStep, violation: AS, allowedAfter: AS },
  { name: 'authorization server metadata over 1 MB', hooks: { 'as-metadata': patch((b) => (b.padding = BIG)) }, stage: 'connect', state: 'error', message: /limit/, violation: AS, allowedAfter: AS },
  { name: 'authorization server metadata served as text/plain', hooks: { 'as-metadata': (r) => ({ ...r, headers: { 'content-type': 'text/plain' } }) }, stage: 'connect', state: 'error', message: asStep, violation: AS, allowedAfter: AS },
  { name: 'authorization server metadata that redirects', hooks: { 'as-metadata': () => ({ status: 301, headers: { location: 'http://localhost:9/.well-known/oauth-authorization-server' } }) }, stage: 'connect', state: 'error', message: /redirect/, violation: AS, allowedAfter: AS },

  // Challenges (RFC 9728 §5.1, RFC 9110 §11.6.1)
  { name: 'a challenge with bad quoting', hooks: { mcp: (r) => (r.status === 401 ? { ...r, headers: { ...r.headers, 'www-authenticate': 'Bearer resource_metadata="http://localhost:9/x' } } : undefined) }, stage: 'connect', state: 'needs-authorization', message: /.*/, violation: /^$/, check: wellKnownOnly },
  { name: 'a challenge with a duplicate parameter', hooks: { mcp: (r, _q, p) => (r.status === 401 ? { ...r, headers: { ...r.headers, 'www-authenticate': `Bearer resource_metadata="${p.origin}/.well-known/oauth-protected-resource/mcp", resource_metadata="http://localhost:9/evil"` } } : undefined) }, stage: 'connect', state: 'needs-authorization', message: /.*/, violation: /^$/, check: wellKnownOnly },
  { name: 'a challenge with several schemes (Bearer second) is understood', hooks: { mcp: (r, _q, p) => (r.status === 401 ? { ...r, headers: { ...r.headers, 'www-authenticate': `Basic realm="x", Bearer resource_metadata="${p.origin}/.well-known/oauth-protected-resource/mcp"` } } : undefined) }, stage: 'connect', state: 'needs-authorization', message: /.*/, violation: /^$/ },
  { name: 'a challenge with a huge value', hooks: { mcp: (r) => (r.status === 401 ? { ...r, headers: { ...r.headers, 'www-authenticate': `Bearer resource_metadata="http://localhost:9/${'a'.repeat(60_000)}"` } } : undefined) }, stage: 'connect', state: 'needs-authorization', message: /.*/, violation: /^$/, check: wellKnownOnly },
  { name: 'a resource_metadata URL on another origin', hooks: { mcp: (r) => (r.status === 401 ? { ...r, headers: { ...r.headers, 'www-authenticate': 'Bearer resource_metadata="http://127.0.0.1:9/.well-known/oauth-protected-resource/mcp"' } } : undefined) }, stage: 'connect', state: 'error', message: /^(Protected resource metadata|Network): /, violation: MCP },
  { name: 'a resource_metadata URL with the file scheme', hooks: { mcp: (r) => (r.status === 401 ? { ...r, headers: { ...r.headers, 'www-authenticate': 'Bearer resource_metadata="file:///etc/passwd"' } } : undefined) }, stage: 'connect', state: 'error', message: /^Protected resource metadata: .*scheme/, violation: MCP },
  { name: 'a resource_metadata URL with another scheme', hooks: { mcp: (r) => (r.status === 401 ? { ...r, headers: { ...r.headers, 'www-authenticate': 'Bearer resource_metadata="javascript:alert(1)"' } } : undefined) }, stage: 'connect', state: 'error', message: /^Protected resource metadata: .*scheme/, violation: MCP },

  // Registration (RFC 7591)
  { name: 'a registration without client_id', hooks: { register: patch((b) => delete b.client_id) }, stage: 'authorize', state: 'error', message: /^Client registration: /, violation: REGISTER },
  { name: 'a registration echoing other redirect_uris', hooks: { register: patch((b) => (b.redirect_uris = ['https://evil.example/callback'])) }, stage: 'authorize', state: 'error', message: /^Client registration: .*redirect/, violation: REGISTER },
  { name: 'a registration assigning an unsupported auth method', hooks: { register: patch((b) => (b.token_endpoint_auth_method = 'private_key_jwt')) }, stage: 'authorize', state: 'error', message: /^Client registration: .*private_key_jwt/, violation: REGISTER },
  { name: 'a registration error carrying HTML and script', hooks: { register: () => json({ error: 'invalid_client_metadata', error_description: XSS }, 400) }, stage: 'authorize', state: 'error', message: /^Client registration: .*invalid_client_metadata.*<img src=x/, violation: REGISTER },
  { name: 'a registration answer that is not JSON', hooks: { register: () => text(XSS, 201, 'text/html') }, stage: 'authorize', state: 'error', message: /^Client registration: /, violation: REGISTER },

  // Authorization response (RFC 6749 §4.1.2, RFC 9207, RFC 9700)
  { name: 'an authorization response with an unknown state', hooks: { authorize: redirectTo((to) => to.searchParams.set('state', 'forged')) }, stage: 'authorize', state: 'authorizing', message: /.*/, violation: AUTHORIZE, check: async (_peer, page) => {
    await expect(page.getByRole('alert').filter({ hasText: 'did not match any authorization Keyhole started' })).toBeVisible();
  } },
  { name: 'an authorization response with another iss', hooks: { authorize: redirectTo((to) => to.searchParams.set('iss', 'http://localhost:9')) }, stage: 'authorize', state: 'error', message: /^Authorization response: .*iss/, violation: AUTHORIZE },
  { name: 'an authorization response without iss (advertised)', hooks: { authorize: redirectTo((to) => to.searchParams.delete('iss')) }, stage: 'authorize', state: 'error', message: /^Authorization response: .*iss/, violation: AUTHORIZE },
  { name: 'an authorization response whose iss differs in case', hooks: { authorize: redirectTo((to) => to.searchParams.set('iss', to.searchParams.get('iss')!.replace('localhost', 'LOCALHOST'))) }, stage: 'authorize', state: 'error', message: /^Authorization response: .*iss/, violation: AUTHORIZE },
  { name: 'an authorization response with iss twice', hooks: { authorize: redirectTo((to) => to.searchParams.append('iss', 'http://localhost:9')) }, stage: 'authorize', state: 'error', message: /^Authorization response: .*iss/, violation: AUTHORIZE },
  { name: 'an error_description carrying HTML and script', hooks: { authorize: redirectTo((to) => { to.searchParams.delete('code'); to.searchParams.set('error', 'access_denied'); to.searchParams.set('error_description', XSS); }) }, stage: 'authorize', state: 'error', message: /^Authorization response: .*access_denied.*<img src=x/, violation: AUTHORIZE },
  { name: 'a code issued to another client', hooks: { token: () => json({ error: 'invalid_grant', error_description: 'code was issued to another client' }, 400) }, stage: 'authorize', state: 'error', message: /^Token request: .*invalid_grant/, violation: TOKEN },
  { name: 'an authorization response with duplicate parameters', hooks: { authorize: redirectTo((to) => to.searchParams.append('code', 'second')) }, stage: 'authorize', state: 'error', message: /^Authorization response: /, violation: AUTHORIZE },

  // Token endpoint (RFC 6749 §5.1, RFC 9449)
  { name: 'a token response without access_token', hooks: { token: patch((b) => delete b.access_token) }, stage: 'authorize', state: 'error', message: /^Token request: .*access_token/, violation: TOKEN },
  { name: 'a token_type we did not ask for', hooks: { token: patch((b) => (b.token_type = 'MAC')) }, stage: 'authorize', state: 'error', message: /^Token request: .*token_type/i, violation: TOKEN },
  { name: 'a DPoP token_type answered to a request without a proof', hooks: { token: patch((b) => (b.token_type = 'DPoP')) }, stage: 'authorize', state: 'error', message: /^Token request: .*RFC 9449/, violation: TOKEN },
  { name: 'a negative expires_in', hooks: { token: patch((b) => (b.expires_in = -10)) }, stage: 'authorize', state: 'error', message: /^Token request: .*expires_in/, violation: TOKEN },
  { name: 'an absurd expires_in', hooks: { token: patch((b) => (b.expires_in = 1e12)) }, stage: 'authorize', state: 'error', message: /^Token request: .*expires_in/, violation: TOKEN },
  {
    name: 'scopes beyond what was asked are named in a warning',
    hooks: { token: patch((b) => (b.scope = 'mcp:basic admin:everything')) },
    stage: 'authorize',
    state: 'connected',
    message: /.*/,
    violation: TOKEN,
    allowedAfter: MCP,
    tokensMayRemain: true,
    check: async (peer, page) => {
      await expect(card(page, peer.url).locator('.warning')).toContainText('granted more than Keyhole asked for: admin:everything');
    },
  },
  { name: 'a token error carrying HTML and script', hooks: { token: () => json({ error: 'invalid_request', error_description: XSS }, 400) }, stage: 'authorize', state: 'error', message: /^Token request: .*invalid_request.*<img src=x/, violation: TOKEN },
  { name: 'a token error body that is not JSON', hooks: { token: () => text(XSS, 500, 'text/html') }, stage: 'authorize', state: 'error', message: /^Token request: /, violation: TOKEN },

  // MCP endpoint
  { name: 'an MCP endpoint redirecting to another origin', hooks: { mcp: onMcpMethod('tools/call', () => ({ status: 307, headers: { location: 'http://127.0.0.1:9/mcp' } })) }, stage: 'call', state: 'error', message: /^MCP request: .*redirect/, violation: MCP, allowedAfter: MCP, tokensMayRemain: true },
  { name: 'an insufficient_scope loop', hooks: { mcp: onMcpMethod('tools/call', () => ({ status: 403, headers: { 'www-authenticate': 'Bearer error="insufficient_scope", scope="mcp:admin"' }, body: '' })) }, stage: 'call', state: 'error', message: /^Step-up authorization: .*stopped asking/, violation: MCP, allowedAfter: /.*/, tokensMayRemain: true, reauthorize: true },
  { name: 'a 401 after every fresh token', hooks: { mcp: onMcpMethod('tools/call', (_r, _q, p) => ({ status: 401, headers: { 'www-authenticate': `Bearer resource_metadata="${p.origin}/.well-known/oauth-protected-resource/mcp"` }, body: '' })) }, stage: 'call', state: 'error', message: /^MCP request: .*refused every fresh token/, violation: MCP, allowedAfter: /.*/, tokensMayRemain: true, reauthorize: true },
  {
    name: 'a refresh answer for another audience',
    hooks: {
      token: (reply, req, peer) => {
        const body = reply.body as Record<string, unknown>;
        if (typeof body?.access_token !== 'string') return undefined;
        // Short-lived, so the first call refreshes; the refreshed token is for another resource.
        if (req.form.get('grant_type') === 'refresh_token') peer.retarget(body.access_token, 'http://localhost:9/another/mcp');
        return { ...reply, body: { ...body, expires_in: 2 } };
      },
    },
    stage: 'call',
    delayCall: 2_500,
    state: 'needs-authorization',
    message: /.*/,
    violation: TOKEN,
    allowedAfter: new RegExp(`${MCP.source}|${PRM.source}|${AS.source}`),
    tokensMayRemain: true,
    check: async (peer, page) => {
      // The refreshed token was used only at the MCP endpoint, and refused there; the person is asked again.
      await expect(card(page, peer.url).getByRole('button', { name: 'Authorize' })).toBeVisible();
      const refreshes = peer.requests.filter((r) => r.form.get('grant_type') === 'refresh_token').length;
      expect(refreshes, 'refresh requests: one, not a second for the refused fresh token').toBe(1);
    },
  },
  {
    name: 'an event stream that never ends is cancelled by the person, upstream too',
    hooks: {
      mcp: onMcpMethod('tools/call', () => ({
        stream: (res) => {
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
          const beat = setInterval(() => res.write(': still here\n\n'), 200);
          res.on('close', () => clearInterval(beat));
        },
      })),
    },
    stage: 'call',
    state: 'connected',
    message: /.*/,
    violation: MCP,
    allowedAfter: MCP,
    tokensMayRemain: true,
    check: async (peer, page) => {
      const c = card(page, peer.url);
      const out = c.locator('output[data-tool-result="echo"]');
      await expect(out).toHaveAttribute('data-state', 'running');
      await c.getByRole('button', { name: 'Cancel' }).click();
      await expect(out).toHaveAttribute('data-state', 'error');
      // The page's abort reached the peer: the worker cancelled the upstream request.
      const call = () => peer.requests.find((r) => r.method === 'POST' && (r as PeerRequest & { body?: string }).body?.includes('"tools/call"'));
      await expect.poll(() => call()?.aborted).toBe(true);
      await expectState(page, peer.url, 'connected');
    },
  },
  // A hung server never hangs the page: set-up and listings wait MCP_ANSWER_TIMEOUT_MS (30 s) at most.
  { name: 'an MCP endpoint that never answers a listing', hooks: { mcp: onMcpMethod('tools/list', () => ({ hang: true })) }, stage: 'authorize', state: 'error', message: /^MCP request: The MCP server did not answer within 30 s \(tools\/list\)/, violation: MCP, allowedAfter: MCP, tokensMayRemain: true },
  { name: 'an MCP answer far over a sane size', hooks: { mcp: onMcpMethod('tools/call', () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: OVERSIZE })) }, stage: 'call', state: 'error', message: /^MCP request: .*larger than/, violation: MCP, allowedAfter: MCP, tokensMayRemain: true },
  // A fetch event's answer reaches the page untouched: the app's reader stops at the limit, and the
  // worker, told, shows it on the card as when it stops reading an answer itself (above).
  {
    name: 'an MCP answer far over a sane size, on the fetch-event path',
    transport: 'fetch',
    hooks: { mcp: onMcpMethod('tools/call', () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: OVERSIZE })) },
    stage: 'call',
    state: 'error',
    message: /^MCP request: .*larger than/,
    violation: MCP,
    allowedAfter: MCP,
    tokensMayRemain: true,
    check: async (_peer, page) => {
      await expect(page.locator('html')).toHaveAttribute('data-mcp-transport', 'fetch');
      // No part of the answer reached the screen. (Read whole, it would have: the answer is a
      // well-formed result, and only the page's reader stands between it and the screen.)
      await expect(page.getByText('xxxxxxxxxx')).toHaveCount(0);
    },
  },
];

function line(r: PeerRequest): string {
  return `${r.method} ${r.path}`;
}

for (const c of cases) {
  test(c.name, async ({ page, app }) => {
    const peer = await startPeer({ appOrigin: app.origin, hooks: c.hooks });
    try {
      await openAndConnect(page, c.transport ? withTransport(app.url, c.transport) : app.url, peer.url);
      const item = card(page, peer.url);
      if (c.stage !== 'connect') {
        await expectState(page, peer.url, 'needs-authorization');
        await item.getByRole('button', { name: 'Authorize' }).click();
      }
      if (c.stage === 'call') {
        await expectState(page, peer.url, 'connected');
        if (c.delayCall) await page.waitForTimeout(c.delayCall);
        const tool = await openTool(item, 'echo');
        await fillArguments(tool, 'echo', '{"text":"hi"}');
        await tool.getByRole('button', { name: 'Call echo', exact: true }).click();
      }
      if (c.reauthorize) {
        // A person pressing Authorize whenever asked: the app must stop asking by itself.
        const authorizations = () => peer.requests.filter((r) => AUTHORIZE.test(line(r))).length;
        for (let round = 0; round < 6; round++) {
          // One reading of the state, waited for: the one acted on is the one that matched.
          let state = '';
          await expect.poll(async () => (state = (await item.getAttribute('data-state')) ?? ''), { timeout: 20_000 }).toMatch(/needs-authorization|error/);
          if (state === 'error') break;
          const before = authorizations();
          await item.getByRole('button', { name: 'Authorize' }).click();
          // Back from the authorization server, with the interrupted call run again.
          await expect.poll(authorizations).toBe(before + 1);
          await page.waitForURL(`${app.url}**`);
          await expect(item).toHaveAttribute('data-state', /needs-authorization|error|connected|connecting/);
          await page.waitForTimeout(300);
        }
      }
      if (c.violation === AUTHORIZE || c.violation === TOKEN) {
        // The browser went to the authorization server: wait until it is back in the app.
        await expect.poll(() => peer.requests.some((r) => AUTHORIZE.test(line(r)))).toBe(true);
        await page.waitForURL(`${app.url}**`);
        await page.waitForLoadState();
      }
      await expectState(page, peer.url, c.state, 45_000);
      if (c.state === 'error') {
        const alert = item.getByRole('alert');
        await expect(alert).toHaveText(c.message);
      }

      // Nothing stored that the case must not leave, and no half-written record.
      const db = await readIndexedDb(page);
      if (!c.tokensMayRemain) expect(db.tokens ?? [], 'tokens in IndexedDB').toEqual([]);
      // A registration stays once a flow succeeded: with a call made, or tokens received.
      if (c.stage !== 'call' && c.state !== 'connected' && !c.tokensMayRemain) expect(db.clients ?? [], 'client registrations in IndexedDB').toEqual([]);
      if (c.state !== 'authorizing') expect(db.flows ?? [], 'pending authorizations in IndexedDB').toEqual([]);

      // Nothing sent after the violation but what the case allows.
      const lines = peer.requests.map(line);
      const at = lines.findLastIndex((l) => c.violation.test(l));
      if (c.violation.source !== '^$') {
        expect(at, `the violating request (${c.violation}) was made`).toBeGreaterThanOrEqual(0);
        const after = lines.slice(at + 1).filter((l) => !(c.allowedAfter ?? /^$/).test(l));
        expect(after, 'requests after the violation').toEqual([]);
      }
      // No bearer token ever went to another origin's URL through the worker either: the peer
      // saw tokens only on /mcp.
      expect(peer.requests.filter((r) => r.authorization && r.path !== '/mcp').map(line)).toEqual([]);

      // Server text never became markup.
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      // The only images are icons Keyhole drew from inline raster data (never SVG, never a URL).
      await expect(page.locator('keyhole-app script')).toHaveCount(0);
      const sources = await page.locator('keyhole-app img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src') ?? ''));
      for (const src of sources) expect(src).toMatch(/^data:image\/(png|jpeg|gif|webp|avif);base64,[A-Za-z0-9+/=]+$/);
      if (c.check) await c.check(peer, page);
    } finally {
      await peer.close();
    }
  });
}

function withTransport(appUrl: string, transport: string): string {
  const url = new URL(appUrl);
  url.searchParams.set('transport', transport);
  return url.href;
}
