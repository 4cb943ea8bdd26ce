/**
 * The browser may stop the service worker at any moment (issue 6). Stopped at each step of the
 * flow, through the DevTools protocol, the run still ends connected: flows and DPoP-bound tokens
 * are in IndexedDB. (A worker stopped while a page's request waits on a refresh could not be
 * forced here: Chromium keeps it alive until the request settles.)
 */
import type { Page } from '@playwright/test';
import {
  addServer,
  callTool,
  card,
  expect,
  expectState,
  readIndexedDb,
  stopServiceWorkers,
  test,
  type Env,
} from './support/keyhole.ts';

/**
 * Stops the worker in the middle of a request it is waiting on. DevTools' stopAllWorkers waits
 * for in-flight fetch events, so the worker's target is closed instead, as the browser's own
 * termination would end it; the killed targets must disappear.
 */
async function killServiceWorker(page: Page): Promise<void> {
  const browserCdp = await page.context().browser()!.newBrowserCDPSession();
  const { targetInfos } = (await browserCdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string }[] };
  const workers = targetInfos.filter((t) => t.type === 'service_worker');
  expect(workers.length, 'a service worker runs').toBeGreaterThan(0);
  for (const w of workers) await browserCdp.send('Target.closeTarget', { targetId: w.targetId });
  // The page may start a new one at once (its next request); the killed ones must be gone.
  const killed = new Set(workers.map((w) => w.targetId));
  await expect
    .poll(async () => ((await browserCdp.send('Target.getTargets')) as { targetInfos: { targetId: string }[] }).targetInfos.some((t) => killed.has(t.targetId)), {
      message: 'the killed worker is gone',
    })
    .toBe(false);
  await browserCdp.detach();
}

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
  let redirect: string | undefined;
  await page.route(
    (u) => u.origin === env.stack.auth.issuer && u.pathname === env.authorizePath,
    async (route) => {
      let next = route.request().url();
      for (let hop = 0; hop < 10; hop++) {
        const res = await page.context().request.get(next, { maxRedirects: 0 });
        const location = res.headers()['location'];
        if (!location) return route.fulfill({ response: res });
        const target = new URL(location, next);
        if (target.origin !== env.stack.auth.issuer) {
          redirect = target.href;
          return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Held</title><p>Held at the authorization server</p>' });
        }
        next = target.href;
      }
      throw new Error('too many redirects');
    },
  );
  await addServer(page, env);
  await expectState(page, url, 'needs-authorization');
  await card(page, url).getByRole('button', { name: 'Authorize' }).click();
  await expect(page.getByText('Held at the authorization server')).toBeVisible();
  await stopServiceWorkers(page);
  expect(tokenRequests(env, endpoint)).toBe(0);

  await page.goto(redirect!);
  await expectState(page, url, 'connected');
  expect(tokenRequests(env, endpoint)).toBe(1);
  expect((await readIndexedDb(page)).flows).toEqual([]);
  await expect(await callTool(page, env, 'echo', { text: 'callback after a stop' })).toHaveText('callback after a stop');
});

test('stopped during the token request: nothing half-written, and authorizing again connects', async ({ page, env }) => {
  const url = env.stack.mcp.url;
  const endpoint = await tokenEndpoint(env);
  await addServer(page, env);
  await expectState(page, url, 'needs-authorization');
  env.stack.auth.delayTokenRequests(3_000);
  await card(page, url).getByRole('button', { name: 'Authorize' }).click();
  await expect.poll(() => tokenRequests(env, endpoint), { message: 'the token request is under way' }).toBe(1);
  await killServiceWorker(page);
  env.stack.auth.delayTokenRequests(0);
  // Past the moment the delayed answer arrives: a worker that survived would have stored tokens.
  await page.waitForTimeout(3_500);
  // The answer went nowhere: the person starts again from the app, and that connects.
  await page.goto(env.appUrl);
  const item = card(page, url);
  await expect(item).toHaveAttribute('data-state', /needs-authorization|authorizing/);
  const db = await readIndexedDb(page);
  expect(db.tokens ?? [], 'no token half-written').toEqual([]);
  expect(db.flows ?? [], 'the used flow is gone').toEqual([]);
  await item.getByRole('button', { name: 'Authorize' }).click();
  await expectState(page, url, 'connected');
  await expect(await callTool(page, env, 'echo', { text: 'after a cut token request' })).toHaveText('after a cut token request');
});
