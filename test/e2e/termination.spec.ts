/**
 * The browser may stop the service worker at any moment (issue 6). Stopped at each step of the
 * flow, through the DevTools protocol, the run still ends connected: flows and DPoP-bound tokens
 * are in IndexedDB. (A worker stopped while a request waits on the token endpoint, for a code
 * or a refresh, could not be forced reliably: DevTools' stopAllWorkers waits until the pending
 * fetch event settles, and closing the worker's target took effect only some of the time.)
 */
import {
  addServer,
  callTool,
  card,
  expect,
  expectState,
  interceptAuthorizationResponse,
  readIndexedDb,
  stopServiceWorkers,
  test,
  type Env,
} from './support/keyhole.ts';

async function tokenEndpoint(env: Env): Promise<string> {
  const meta = (await (await fetch(`${env.stack.auth.issuer}/.well-known/oauth-authorization-server`)).json()) as { token_endpoint: string };
  return meta.token_endpoint;
}

function tokenRequests(env: Env, endpoint: string): number {
  return env.stack.auth.requests.filter((r: { method: string; path: string }) => r.method === 'POST' && r.path === new URL(endpoint).pathname).length;
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
