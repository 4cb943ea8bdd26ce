/**
 * The foundation flow in real Chromium against the real demo stack: connect through the demo
 * authorization server's login and consent pages, call tools, survive reloads, tabs and a
 * stopped worker as the storage policy says, step up, and disconnect.
 */
import {
  authorizationRequests,
  authorize,
  addServer,
  callTool,
  card,
  connect,
  expect,
  expectState,
  readIndexedDb,
  stopServiceWorkers,
  test,
} from './support/keyhole.ts';

test.describe('through the login and consent pages', () => {
  test.use({ autoApprove: false });

  test('first connect goes through login and consent to a tool call', async ({ page, env }) => {
    const url = env.stack.mcp.url;
    await addServer(page, env);
    await expectState(page, url, 'needs-authorization');
    // The worker found out how the server is protected and says so.
    await card(page, url).getByText(/Authorization timeline/).click();
    await expect(card(page, url).getByText(/Found protected resource metadata/)).toBeVisible();
    await card(page, url).getByRole('button', { name: 'Authorize' }).click();

    await expect(page).toHaveURL(new RegExp(`^${env.stack.auth.issuer}/`));
    await page.getByRole('textbox').first().fill('Ada');
    await page.getByRole('button', { name: /continue|sign in|log in/i }).click();
    await expect(page.getByText('http://localhost', { exact: false }).first()).toBeVisible();
    await page.getByRole('button', { name: 'Approve' }).click();

    await expect(page).toHaveURL(env.appUrl);
    await expectState(page, url, 'connected');
    const out = await callTool(page, env, 'echo', { text: 'hello from Keyhole' });
    await expect(out).toHaveAttribute('data-state', 'ok');
    await expect(out).toHaveText('hello from Keyhole');
  });

  test('denying consent ends in a clear error and stores no token', async ({ page, env }) => {
    const url = env.stack.mcp.url;
    await addServer(page, env);
    await expectState(page, url, 'needs-authorization');
    await card(page, url).getByRole('button', { name: 'Authorize' }).click();
    await expect(page).toHaveURL(new RegExp(`^${env.stack.auth.issuer}/`));
    await page.getByRole('textbox').first().fill('Ada');
    await page.getByRole('button', { name: /continue|sign in|log in/i }).click();
    await page.getByRole('button', { name: 'Deny' }).click();
    await expectState(page, url, 'error');
    await expect(card(page, url).getByRole('alert')).toContainText('denied');
    const db = await readIndexedDb(page);
    expect(db.tokens).toEqual([]);
    expect(db.clients).toEqual([]);
  });
});

test.describe('Bearer tokens (the storage policy of RFC 10017 §8.2)', () => {
  test.use({ bearerOnly: true });

  test('reload and a new tab stay connected without a new authorization (Keep me signed in)', async ({ page, env }) => {
    const url = env.stack.mcp.url;
    await connect(page, env, { keepSignedIn: true });
    expect(authorizationRequests(env)).toBe(1);

    await page.reload();
    await expectState(page, url, 'connected');
    await expect(await callTool(page, env, 'add', { a: 2, b: 3 })).toContainText('5');

    const tab = await page.context().newPage();
    await tab.goto(env.appUrl);
    await expectState(tab, url, 'connected');
    await expect(await callTool(tab, env, 'echo', { text: 'second tab' })).toHaveText('second tab');
    expect(authorizationRequests(env)).toBe(1);
  });

  test('without Keep me signed in, reload works while the worker lives and tokens stay out of IndexedDB', async ({ page, env }) => {
    const url = env.stack.mcp.url;
    await connect(page, env);
    await page.reload();
    await expectState(page, url, 'connected');
    await expect(await callTool(page, env, 'echo', { text: 'after reload' })).toHaveText('after reload');
    expect(authorizationRequests(env)).toBe(1);
    const db = await readIndexedDb(page);
    expect(db.tokens).toEqual([]);
    expect(db.connections).toHaveLength(1);
  });

  test('a stopped worker keeps the connection when the person chose to stay signed in', async ({ page, env }) => {
    const url = env.stack.mcp.url;
    await connect(page, env, { keepSignedIn: true });
    await stopServiceWorkers(page);
    await expect(await callTool(page, env, 'echo', { text: 'after stop' })).toHaveText('after stop');
    await expectState(page, url, 'connected');
    expect(authorizationRequests(env)).toBe(1);
  });

  test('a stopped worker without Keep me signed in asks for authorization again', async ({ page, env }) => {
    const url = env.stack.mcp.url;
    await connect(page, env);
    await stopServiceWorkers(page);
    const item = card(page, url).locator('li[data-tool="echo"]');
    await item.getByLabel('Arguments for echo').fill(JSON.stringify({ text: 'after stop' }));
    await item.getByRole('button', { name: 'Call echo', exact: true }).click();
    // The restarted worker has no tokens (memory only), so the server's 401 leads to authorization.
    await expectState(page, url, 'needs-authorization');
    await expect(card(page, url).getByRole('status')).toContainText('The call to echo waits for authorization');
    // Authorizing again brings it back, and the interrupted call runs by itself.
    await authorize(page, env);
    await expect(card(page, url).locator('output[data-tool-result="echo"]')).toHaveText('after stop');
    expect(authorizationRequests(env)).toBe(2);
  });
});

test('step-up: a tool that needs more scope re-authorizes with the union of scopes and runs', async ({ page, env }) => {
  const url = env.stack.mcp.url;
  const authorizeUrls: URL[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (r.isNavigationRequest() && u.origin === env.stack.auth.issuer && u.pathname === env.authorizePath) authorizeUrls.push(u);
  });
  await connect(page, env);
  const c = card(page, url);
  const item = c.locator('li[data-tool="admin-report"]');
  await item.getByRole('button', { name: 'Call admin-report', exact: true }).click();
  await expectState(page, url, 'needs-authorization');
  await c.getByRole('button', { name: 'Authorize' }).click();
  await expectState(page, url, 'connected');
  // The interrupted call runs again by itself after the redirect.
  const out = c.locator('output[data-tool-result="admin-report"]');
  await expect(out).toHaveAttribute('data-state', 'ok', { timeout: 30_000 });
  expect(authorizeUrls).toHaveLength(2);
  expect(authorizeUrls[0]!.searchParams.get('scope')?.split(' ')).toContain('mcp:basic');
  const second = authorizeUrls[1]!.searchParams.get('scope')?.split(' ') ?? [];
  expect(second).toEqual(expect.arrayContaining(['mcp:basic', 'mcp:admin']));
  // Both carry the resource exactly as the protected resource metadata gives it (RFC 8707).
  for (const u of authorizeUrls) expect(u.searchParams.get('resource')).toBe(url);
});

test('disconnect revokes the tokens at the authorization server and leaves nothing in IndexedDB', async ({ page, env }) => {
  const url = env.stack.mcp.url;
  await connect(page, env, { keepSignedIn: true });
  await expect(await callTool(page, env, 'echo', { text: 'x' })).toHaveText('x');
  const accessTokens = [...new Set(env.stack.mcp.authorizations.map((h: string) => h.replace(/^\S+\s+/, '')))];
  expect(accessTokens.length).toBeGreaterThan(0);
  for (const t of accessTokens) expect((await env.stack.auth.introspect(t)).active).toBe(true);
  expect((await readIndexedDb(page)).tokens).toHaveLength(1);

  await card(page, url).getByRole('button', { name: 'Disconnect' }).click();
  await expectState(page, url, 'disconnected');
  for (const t of accessTokens) expect((await env.stack.auth.introspect(t)).active).toBe(false);
  const db = await readIndexedDb(page);
  for (const [store, rows] of Object.entries(db)) expect(rows, `store ${store}`).toEqual([]);
});
