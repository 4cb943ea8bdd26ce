/**
 * Interop faults that servers on other stacks expose (issue 17, item 3), each against the peer
 * (support/peer.mjs) switched to behave as such a server does:
 * - a client secret required at the revocation endpoint (RFC 7009 §2.1), as the Python MCP
 *   SDK's authorization server does: Disconnect authenticates there as at the token endpoint;
 * - an ID token nobody asked for (no `openid` scope), for another audience: ignored, and said so;
 * - the CORS set-up of the Python SDK's README (the origin allowed, no request header listed):
 *   the card names the refused headers, whatever order the requests fail in.
 */
import type { Locator, Page } from '@playwright/test';
import { test } from './support/app.ts';
import { expect } from './support/guard.ts';
import { card, expectState, fillArguments, openAddForm, openAndConnect, openTool, readIndexedDb } from './support/keyhole.ts';
import { startPeer, type Peer, type PeerRequest } from './support/peer.mjs';

async function callEcho(item: Locator, text: string): Promise<void> {
  const tool = await openTool(item, 'echo');
  await fillArguments(tool, 'echo', { text });
  await tool.getByRole('button', { name: 'Call echo', exact: true }).click();
  await expect(item.locator('output[data-tool-result="echo"]')).toHaveText(text, { timeout: 30_000 });
}

/** Does the peer's MCP endpoint accept this access token? Asked from Node, as a thief would. */
async function accepted(peer: Peer, accessToken: string): Promise<boolean> {
  const res = await fetch(peer.url, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'thief', version: '1' } } }),
  });
  await res.arrayBuffer();
  return res.status !== 401;
}

const revocations = (peer: Peer): PeerRequest[] => peer.requests.filter((r) => r.method === 'POST' && r.path === '/revoke');

/** Disconnects and checks that both tokens were revoked with the client's secret and stopped working. */
type SecretMethod = 'client_secret_post' | 'client_secret_basic';

async function disconnectAndCheckRevoked(page: Page, peer: Peer, item: Locator, method: SecretMethod, atRevocation: SecretMethod = method): Promise<void> {
  // The client authenticated at the token endpoint the same way.
  const tokenRequests = peer.requests.filter((r) => r.method === 'POST' && r.path === '/token');
  expect(tokenRequests.length).toBeGreaterThan(0);
  for (const r of tokenRequests) expect(r.clientAuth, 'token request authentication').toBe(method);

  await item.getByRole('button', { name: 'Disconnect' }).click();
  await expectState(page, peer.url, 'disconnected');
  await expect(item.getByRole('status')).toHaveText('Disconnected: tokens revoked and forgotten.');
  // The revocations that went through: each authenticated; a refused first try (Basic, where the
  // server reads the form only) is followed by one in the form, once.
  const revoked = revocations(peer).filter((r) => r.form.has('client_secret') || atRevocation === 'client_secret_basic');
  expect(revoked.map((r) => r.form.get('token_type_hint'))).toEqual(['refresh_token', 'access_token']);
  for (const r of revoked) expect(r.clientAuth, 'revocation request authentication (RFC 7009 §2.1)').toBe(atRevocation);
  expect(revocations(peer).length).toBeLessThanOrEqual(atRevocation === method ? 2 : 3);
  const accessToken = revoked[1]!.form.get('token') ?? '';
  // The MCP server caches introspection answers for a second.
  await expect.poll(() => accepted(peer, accessToken), { message: 'the access token still works after Disconnect', timeout: 5_000 }).toBe(false);
}

test('a client secret assigned at registration (client_secret_post only) authenticates the revocation too', async ({ page, app }) => {
  const peer = await startPeer({ appOrigin: app.origin, clientSecret: { methods: ['client_secret_post'], formOnlyRevocation: true } });
  try {
    await openAndConnect(page, app.url, peer.url);
    const item = card(page, peer.url);
    await expectState(page, peer.url, 'needs-authorization');
    await item.getByRole('button', { name: 'Authorize' }).click();
    await expectState(page, peer.url, 'connected');
    await callEcho(item, 'with a secret');
    await disconnectAndCheckRevoked(page, peer, item, 'client_secret_post');
  } finally {
    await peer.close();
  }
});

test('a client secret typed in Client settings: Basic at the token endpoint, and the form where the revocation endpoint reads only that', async ({ page, app }) => {
  const preRegistered = { clientId: 'typed-client.1', clientSecret: 'typed secret-*_.' };
  // Both methods listed, as the Python SDK's server does, whose revocation endpoint reads the form only.
  const peer = await startPeer({ appOrigin: app.origin, clientSecret: { methods: ['client_secret_basic', 'client_secret_post'], formOnlyRevocation: true, preRegistered } });
  try {
    await page.goto(app.url);
    await openAddForm(page);
    await page.getByLabel('MCP server URL').fill(peer.url);
    await page.locator('details.client > summary').click();
    await page.getByLabel('Client ID').fill(preRegistered.clientId);
    await page.getByLabel('Client secret').fill(preRegistered.clientSecret);
    await page.locator('details.add').getByRole('button', { name: 'Connect', exact: true }).click();
    const item = card(page, peer.url);
    await expectState(page, peer.url, 'needs-authorization');
    await item.getByRole('button', { name: 'Authorize' }).click();
    await expectState(page, peer.url, 'connected');
    await callEcho(item, 'typed secret');
    await disconnectAndCheckRevoked(page, peer, item, 'client_secret_basic', 'client_secret_post');
  } finally {
    await peer.close();
  }
});

test('an ID token Keyhole did not ask for (no openid, another audience) is ignored and the timeline says so', async ({ page, app }) => {
  const peer = await startPeer({ appOrigin: app.origin, idToken: { aud: 'another-client' } });
  try {
    await openAndConnect(page, app.url, peer.url, { keepSignedIn: true });
    const item = card(page, peer.url);
    await expectState(page, peer.url, 'needs-authorization');
    await item.getByRole('button', { name: 'Authorize' }).click();
    await expectState(page, peer.url, 'connected');
    const authorizeRequest = peer.requests.find((r) => r.path === '/authorize');
    expect(authorizeRequest?.query.get('scope') ?? '').not.toMatch(/\bopenid\b/);
    await callEcho(item, 'no id token needed');
    await item.getByText(/Authorization timeline/).click();
    await expect(item.getByText(/ID token, not asked for .*ignored/)).toBeVisible();
    // Not kept: the stored token record has no trace of it.
    const stored = JSON.stringify((await readIndexedDb(page)).tokens ?? []);
    expect(stored).toContain('accessToken');
    expect(stored).not.toMatch(/id_?token/i);
  } finally {
    await peer.close();
  }
});

test('an ID token when openid was asked for is still checked: another audience fails the token request', async ({ page, app }) => {
  const peer = await startPeer({ appOrigin: app.origin, idToken: { aud: 'another-client' } });
  try {
    await page.goto(app.url);
    await openAddForm(page);
    await page.getByLabel('MCP server URL').fill(peer.url);
    await page.locator('details.client > summary').click();
    await page.getByLabel('Scopes (optional, space separated)').fill('openid mcp:basic');
    await page.locator('details.add').getByRole('button', { name: 'Connect', exact: true }).click();
    const item = card(page, peer.url);
    await expectState(page, peer.url, 'needs-authorization');
    await item.getByRole('button', { name: 'Authorize' }).click();
    await expectState(page, peer.url, 'error', 30_000);
    await expect(item.getByRole('alert')).toHaveText(/^Token request: .*"aud"/);
    expect((await readIndexedDb(page)).tokens ?? []).toEqual([]);
  } finally {
    await peer.close();
  }
});

test('CORS as in the Python SDK README (the origin allowed, no request header listed): the card names the refused headers', async ({ page, app }) => {
  // Starlette's CORSMiddleware with allow_origins, allow_methods and expose_headers=["Mcp-Session-Id"]:
  // only the CORS-safelisted Content-Type passes a preflight, and WWW-Authenticate is not exposed.
  const peer = await startPeer({ appOrigin: app.origin, mcpCors: { allowHeaders: ['content-type'], exposeHeaders: ['mcp-session-id'] } });
  try {
    await openAndConnect(page, app.url, peer.url);
    const item = card(page, peer.url);
    // Whichever comes first, the 401 of a request without a token or a request refused by the
    // preflight, the card must end naming the headers; the person authorizes whenever asked.
    let shown = '';
    await expect
      .poll(
        async () => {
          const state = await item.getAttribute('data-state');
          if (state === 'needs-authorization') await item.getByRole('button', { name: 'Authorize' }).click({ timeout: 2_000 }).catch(() => {});
          shown = state === 'error' ? ((await item.getByRole('alert').textContent({ timeout: 1_000 }).catch(() => '')) ?? '') : '';
          return /Authorization/.test(shown);
        },
        { timeout: 60_000, message: 'the card names the refused Authorization header' },
      )
      .toBe(true);
    expect(shown).toMatch(/^MCP request: /);
    expect(shown).toMatch(/preflight does not allow the .*Authorization/);
    expect(shown).toMatch(/Access-Control-Allow-Headers must list .*Authorization/);
    expect(shown).toContain('docs/operators.md');
    await expect(item.locator('[data-retry]')).toHaveCount(0);
    // It stays named: a later 401 (a request without a token) does not hide it.
    await page.waitForTimeout(2_000);
    await expect(item).toHaveAttribute('data-state', 'error');
  } finally {
    await peer.close();
  }
});
