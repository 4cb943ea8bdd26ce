/**
 * The browser may stop the service worker at any moment (issue 6). Stopped at each step of the
 * flow, through the DevTools protocol, the run still ends connected: flows and DPoP-bound tokens
 * are in IndexedDB, and a token request cut off is made again. The token endpoint is held by the
 * demo authorization server (`auth.hold`) while the worker is stopped, then the request is
 * dropped unprocessed or, where the server had already acted on it, its answer is lost.
 */
import type { Page } from '@playwright/test';
import {
  addServer,
  authorizationRequests,
  callTool,
  card,
  connect,
  expect,
  expectState,
  interceptAuthorizationResponse,
  readIndexedDb,
  stopServiceWorkers,
  test,
  type Env,
  fillArguments,
  openTool,
} from './support/keyhole.ts';

async function tokenEndpoint(env: Env): Promise<string> {
  const meta = (await (await fetch(`${env.stack.auth.issuer}/.well-known/oauth-authorization-server`)).json()) as { token_endpoint: string };
  return meta.token_endpoint;
}

function tokenRequests(env: Env, endpoint: string): number {
  return env.stack.auth.requests.filter((r: { method: string; path: string }) => r.method === 'POST' && r.path === new URL(endpoint).pathname).length;
}

/** Token requests the authorization server handled, by grant type. */
function grants(env: Env, grantType: string): number {
  return env.stack.auth.requests.filter((r: { grantType?: string }) => r.grantType === grantType).length;
}

/** What the MCP server was sent without an Authorization header: only the probe that met the 401. */
function uncredentialed(env: Env): (string | undefined)[] {
  return env.stack.mcp.requests.filter((r: { credentialed?: boolean }) => r.credentialed === false).map((r: { mcpMethod?: string }) => r.mcpMethod);
}

/** Presses Authorize with the token endpoint held at `stage`; resolves once the worker's request is there. */
async function authorizeHeld(page: Page, env: Env, method: 'OPTIONS' | 'POST', stage: 'request' | 'answer') {
  const url = env.stack.mcp.url;
  await addServer(page, env);
  await expectState(page, url, 'needs-authorization');
  const held = env.stack.auth.hold(method, new URL(await tokenEndpoint(env)).pathname, stage);
  await card(page, url).getByRole('button', { name: 'Authorize' }).click();
  await held.reached;
  return held;
}

test('stopped after discovery: Authorize wakes it and the flow completes', async ({ page, env }) => {
  const url = env.stack.mcp.url;
  await addServer(page, env);
  await expectState(page, url, 'needs-authorization');
  await stopServiceWorkers(page);
  await card(page, url).getByRole('button', { name: 'Authorize' }).click();
  await expectState(page, url, 'connected');
  await expect(await callTool(page, env, 'echo', { text: 'after a stop' })).toHaveText('after a stop');
});

test('stopped between the redirect and the callback: the flow completes from IndexedDB', async ({ page, env }) => {
  const url = env.stack.mcp.url;
  const endpoint = await tokenEndpoint(env);
  // Hold the browser at the authorization server, keeping the redirect it would follow.
  const redirects = await interceptAuthorizationResponse(page, env.stack.auth.issuer, env.authorizePath, () => null);
  await addServer(page, env);
  await expectState(page, url, 'needs-authorization');
  await card(page, url).getByRole('button', { name: 'Authorize' }).click();
  await expect(page.getByText('Held at the authorization server')).toBeVisible();
  await stopServiceWorkers(page);
  expect(tokenRequests(env, endpoint)).toBe(0);

  expect(redirects).toHaveLength(1);
  await page.goto(redirects[0]!.href);
  await expectState(page, url, 'connected');
  expect(tokenRequests(env, endpoint)).toBe(1);
  expect((await readIndexedDb(page)).flows).toEqual([]);
  await expect(await callTool(page, env, 'echo', { text: 'callback after a stop' })).toHaveText('callback after a stop');
});

// The DPoP proof header makes the token request preflighted: held at the preflight, the code
// has not been sent; held at the POST, it is lost on the way.
for (const { when, method } of [
  { when: 'before the code exchange reached the token endpoint', method: 'OPTIONS' },
  { when: 'during the code exchange, the request lost', method: 'POST' },
] as const) {
  test(`stopped ${when}: the next worker redeems the code kept with the flow`, async ({ page, env }) => {
    const url = env.stack.mcp.url;
    const held = await authorizeHeld(page, env, method, 'request');
    await stopServiceWorkers(page);
    held.drop();
    // The page already shows the app; the next worker, woken by its next message (a keep-alive
    // at most 20 s on), redeems the code.
    await expectState(page, url, 'connected', 40_000);
    expect(grants(env, 'authorization_code')).toBe(1);
    expect(authorizationRequests(env)).toBe(1);
    expect((await readIndexedDb(page)).flows).toEqual([]);
    await expect(await callTool(page, env, 'echo', { text: `stopped ${method}` })).toHaveText(`stopped ${method}`);
  });
}

test('stopped during the code exchange, the answer lost: the spent code is refused, nothing half-kept, Connect and Authorize connect', async ({ page, env }) => {
  const url = env.stack.mcp.url;
  const held = await authorizeHeld(page, env, 'POST', 'answer');
  await stopServiceWorkers(page);
  held.drop();
  // The server redeemed the code but its tokens never arrived: the next worker's retry is
  // refused (RFC 6749 §4.1.2: a code is used once), and says so.
  await expect(card(page, url).getByRole('alert')).toContainText('Token request: the server answered "invalid_grant"', { timeout: 40_000 });
  const db = await readIndexedDb(page);
  expect(db.tokens).toEqual([]);
  expect(db.flows).toEqual([]);
  await card(page, url).getByRole('button', { name: 'Connect', exact: true }).click();
  await expectState(page, url, 'needs-authorization');
  await card(page, url).getByRole('button', { name: 'Authorize' }).click();
  await expectState(page, url, 'connected');
  expect(authorizationRequests(env)).toBe(2);
  await expect(await callTool(page, env, 'echo', { text: 'after the lost answer' })).toHaveText('after the lost answer');
});

test.describe('during refresh', () => {
  // Four-second tokens: due for refresh after two.
  test.use({ accessTokenTTL: 4 });

  async function callWithRefreshHeld(page: Page, env: Env, stage: 'request' | 'answer') {
    const url = env.stack.mcp.url;
    await connect(page, env);
    await page.waitForTimeout(2_200);
    const held = env.stack.auth.hold('POST', new URL(await tokenEndpoint(env)).pathname, stage);
    const item = await openTool(card(page, url), 'echo');
    await fillArguments(item, 'echo', { text: 'across the stop' });
    await item.getByRole('button', { name: 'Call echo', exact: true }).click();
    await held.reached;
    return { held, out: card(page, url).locator('output[data-tool-result="echo"]') };
  }

  test('stopped with the refresh request lost: the next worker refreshes again and the call succeeds', async ({ page, env }) => {
    const url = env.stack.mcp.url;
    const { held, out } = await callWithRefreshHeld(page, env, 'request');
    await stopServiceWorkers(page);
    held.drop();
    await expect(out).toHaveAttribute('data-state', 'ok', { timeout: 20_000 });
    await expect(out).toHaveText('across the stop');
    expect(grants(env, 'refresh_token')).toBe(1);
    expect(authorizationRequests(env)).toBe(1);
    expect(uncredentialed(env)).toEqual(['server/discover']);
    await expectState(page, url, 'connected');
    expect((await readIndexedDb(page)).tokens).toHaveLength(1);
  });

  test('stopped after the server rotated the refresh token, its answer lost: a clear state and one Authorize, never a crash', async ({ page, env }) => {
    const url = env.stack.mcp.url;
    const { held } = await callWithRefreshHeld(page, env, 'answer');
    const out = card(page, url).locator('output[data-tool-result="echo"]');
    await stopServiceWorkers(page);
    held.drop();
    // The old refresh token is spent (rotation, RFC 9700 §4.14.2): the server refuses it, and the
    // worker keeps nothing it cannot use.
    await expectState(page, url, 'needs-authorization');
    await expect(card(page, url).getByRole('status')).toContainText('The call to echo waits for authorization');
    expect((await readIndexedDb(page)).tokens).toEqual([]);
    await card(page, url).getByRole('button', { name: 'Authorize' }).click();
    await expectState(page, url, 'connected');
    // The interrupted call runs again once authorized, as the card promised.
    await expect(out).toHaveAttribute('data-state', 'ok');
    await expect(out).toHaveText('across the stop');
    expect(uncredentialed(env).filter((m) => m !== 'server/discover')).toEqual([]);
  });
});
