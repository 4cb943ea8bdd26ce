/**
 * The service worker under browser life (more comes with the lifecycle issue): a hard reload
 * loads the page without a controller, and no MCP request may leave uncredentialed because of it.
 */
import { authorize, callTool, card, connect, expect, expectState, readIndexedDb, test, type Env } from './support/keyhole.ts';

/** MCP POSTs the server received without an Authorization header. */
function uncredentialed(env: Env): number {
  const posts = env.stack.mcp.requests.filter((r: { method: string; path: string }) => r.method === 'POST' && r.path === '/mcp').length;
  return posts - env.stack.mcp.authorizations.length;
}

test('first visit: the app waits for the worker, and every MCP request but the first 401 probe carries its token', async ({ page, env }) => {
  const url = env.stack.mcp.url;
  // Record, for every request the page's code makes to the MCP server, whether a worker
  // controlled the page at that moment: as a fetch, or handed to the worker over the port
  // transport (src/app/port-fetch.ts, which falls back to fetch without a controller).
  await page.addInitScript((mcp) => {
    const seen: boolean[] = ((window as unknown as { mcpControlled: boolean[] }).mcpControlled = []);
    const original = window.fetch.bind(window);
    window.fetch = (input, init) => {
      const target = input instanceof Request ? input.url : String(input);
      if (target.startsWith(mcp)) seen.push(navigator.serviceWorker.controller !== null);
      return original(input, init);
    };
    const post = ServiceWorker.prototype.postMessage as (this: ServiceWorker, message: unknown, transfer?: unknown) => void;
    ServiceWorker.prototype.postMessage = function (this: ServiceWorker, message: unknown, transfer?: unknown) {
      const m = message as { type?: unknown; url?: unknown } | null;
      if (m?.type === 'keyhole:fetch' && String(m.url).startsWith(mcp)) seen.push(navigator.serviceWorker.controller === this);
      return post.call(this, message, transfer);
    } as typeof ServiceWorker.prototype.postMessage;
  }, url);
  // A fresh profile, and the server named in the link: the app connects as soon as it can.
  await page.goto(`${env.appUrl}?connect=${encodeURIComponent(url)}`);
  await authorize(page, env);
  await expect(await callTool(page, env, 'echo', { text: 'first visit' })).toHaveText('first visit');

  const controlled = await page.evaluate(() => (window as unknown as { mcpControlled: boolean[] }).mcpControlled);
  expect(controlled.length).toBeGreaterThan(0);
  expect(controlled.every(Boolean), 'every MCP request left a controlled page').toBe(true);
  const credentialed = env.stack.mcp.requests.filter((r: { credentialed?: boolean }) => r.credentialed !== undefined).map((r: { credentialed?: boolean; mcpMethod?: string }) => `${r.mcpMethod}:${r.credentialed}`);
  expect(credentialed[0]).toBe('server/discover:false');
  expect(credentialed.slice(1).filter((c) => c.endsWith(':false')), 'requests without a token after the probe').toEqual([]);
});

test('a hard reload (no controller) is reclaimed by the worker before any MCP request', async ({ page, env }) => {
  const url = env.stack.mcp.url;
  await connect(page, env);
  const before = uncredentialed(env);
  // Only the first request of the flow went without a token: the one that met the 401.
  expect(before).toBe(1);

  await page.addInitScript(() => {
    (window as unknown as { controlledAtStart: boolean }).controlledAtStart = navigator.serviceWorker.controller !== null;
  });
  const cdp = await page.context().newCDPSession(page);
  const loaded = page.waitForEvent('load');
  await cdp.send('Page.reload', { ignoreCache: true });
  await loaded;
  // The reload really bypassed the worker (a shift+reload), and the app then had it claim the page.
  expect(await page.evaluate(() => (window as unknown as { controlledAtStart: boolean }).controlledAtStart)).toBe(false);
  await expectState(page, url, 'connected');
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await expect(await callTool(page, env, 'echo', { text: 'after hard reload' })).toHaveText('after hard reload');
  expect(uncredentialed(env)).toBe(before);
});

test('the database deleted under a running app: tokens gone, the card asks for authorization, no crash', async ({ page, env }) => {
  const url = env.stack.mcp.url;
  await connect(page, env);
  expect((await readIndexedDb(page)).tokens).toHaveLength(1);

  // As "Clear site data" or any script of the origin could: the worker must let go of it.
  const outcome = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const req = indexedDB.deleteDatabase('keyhole');
        req.onsuccess = () => resolve('deleted');
        req.onerror = () => resolve(`error: ${req.error?.message}`);
        req.onblocked = () => resolve('blocked');
      }),
  );
  expect(outcome).toBe('deleted');

  await expectState(page, url, 'needs-authorization');
  await expect(card(page, url)).toContainText('storage on this device was cleared');
  // The worker dropped its in-memory tokens too: the next call cannot use them.
  const db = await readIndexedDb(page);
  expect(db.tokens ?? []).toEqual([]);
  expect(db.clients ?? []).toEqual([]);
  const authorizationsBefore = env.stack.mcp.authorizations.length;
  await page.evaluate(async (u) => {
    await fetch(u, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' });
  }, url);
  expect(env.stack.mcp.authorizations.length, 'requests sent with a token after the wipe').toBe(authorizationsBefore);

  await authorize(page, env);
  await expect(await callTool(page, env, 'echo', { text: 'after the wipe' })).toHaveText('after the wipe');
  expect((await readIndexedDb(page)).tokens).toHaveLength(1);
});
