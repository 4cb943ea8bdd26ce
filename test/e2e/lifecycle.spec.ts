/**
 * The service worker under browser life (more comes with the lifecycle issue): a hard reload
 * loads the page without a controller, and no MCP request may leave uncredentialed because of it.
 */
import { callTool, connect, expect, expectState, test, type Env } from './support/keyhole.ts';

/** MCP POSTs the server received without an Authorization header. */
function uncredentialed(env: Env): number {
  const posts = env.stack.mcp.requests.filter((r: { method: string; path: string }) => r.method === 'POST' && r.path === '/mcp').length;
  return posts - env.stack.mcp.authorizations.length;
}

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
