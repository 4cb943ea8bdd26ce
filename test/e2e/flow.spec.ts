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
  fillArguments,
  openTool,
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

test.describe('an authorization the person abandons', () => {
  test.use({ autoApprove: false });

  test('going back from the sign-in page offers Authorize again', async ({ page, env }) => {
    const url = env.stack.mcp.url;
    await addServer(page, env);
    await expectState(page, url, 'needs-authorization');
    await card(page, url).getByRole('button', { name: 'Authorize' }).click();
    await expect(page).toHaveURL(new RegExp(`^${env.stack.auth.issuer}/`));
    await expect(page.getByRole('textbox').first()).toBeVisible();
    // The person changes their mind at the sign-in page and presses Back.
    await page.goBack();
    await expect(page).toHaveURL(env.appUrl);
    // They must be able to try again without throwing the connection away (Disconnect revokes).
    await expect(
      card(page, url).getByRole('button', { name: 'Authorize' }),
      'after Back the card must offer Authorize again (it must not stay "authorizing" with only Disconnect and Remove)',
    ).toBeVisible();
    await card(page, url).getByRole('button', { name: 'Authorize' }).click();
    await expect(page).toHaveURL(new RegExp(`^${env.stack.auth.issuer}/`));
    await page.getByLabel('Display name').fill('Ada');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Approve' }).click();
    await expectState(page, url, 'connected');
    await expect(await callTool(page, env, 'echo', { text: 'second try' })).toHaveText('second try');
  });
});

test.describe('Bearer tokens (the storage policy of RFC 10017 §8.2)', () => {
  test.use({ bearerOnly: true });

  test('reload and a new tab stay connected without a new authorization (Keep me signed in)', async ({ page, env }) => {
    const url = env.stack.mcp.url;
    await connect(page, env, { keepSignedIn: true });
    expect(authorizationRequests(env)).toBe(1);
    // The person chose to stay signed in: the Bearer tokens are on disk (and only then).
    expect(((await readIndexedDb(page)).tokens as { tokenType: string }[]).map((t) => t.tokenType)).toEqual(['bearer']);

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
    expect((await readIndexedDb(page)).tokens).toHaveLength(1);
    const sentBefore = env.stack.mcp.authorizations.length;
    await stopServiceWorkers(page);
    await expect(await callTool(page, env, 'echo', { text: 'after stop' })).toHaveText('after stop');
    await expectState(page, url, 'connected');
    expect(authorizationRequests(env)).toBe(1);
    // The restarted worker really sent the persisted token (it has no other).
    expect(env.stack.mcp.authorizations.slice(sentBefore)).toContain(env.stack.mcp.authorizations[sentBefore - 1]);
  });

  test('a stopped worker without Keep me signed in asks for authorization again', async ({ page, env }) => {
    const url = env.stack.mcp.url;
    await connect(page, env);
    await stopServiceWorkers(page);
    const item = await openTool(card(page, url), 'echo');
    await fillArguments(item, 'echo', { text: 'after stop' });
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
  const item = await openTool(c, 'admin-report');
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
  // The authorization server's view: the token that reached admin-report carries both scopes.
  const last = env.stack.mcp.authorizations.at(-1)!.replace(/^\S+\s+/, '');
  const introspection = await env.stack.auth.introspect(last);
  expect(introspection.active).toBe(true);
  expect(String(introspection.scope).split(' ')).toEqual(expect.arrayContaining(['mcp:basic', 'mcp:admin']));
  await expect(out).toContainText('mcp:admin');
});

for (const { kind, bearerOnly, keepSignedIn } of [
  { kind: 'Bearer, memory only', bearerOnly: true, keepSignedIn: false },
  { kind: 'DPoP, kept on disk', bearerOnly: false, keepSignedIn: true },
]) {
  test.describe(kind, () => {
    test.use({ bearerOnly });
    test('disconnect revokes the tokens at the authorization server and leaves nothing in IndexedDB', async ({ page, env }) => {
      const url = env.stack.mcp.url;
      await connect(page, env, { keepSignedIn });
      await expect(await callTool(page, env, 'echo', { text: 'x' })).toHaveText('x');
      // The access tokens the worker used, as the MCP server received them.
      const used = [...new Set(env.stack.mcp.authorizations.map((h: string) => h.replace(/^\S+\s+/, '')))];
      expect(used.length).toBeGreaterThan(0);
      // Every secret the AS handed out that it still considers active: access and refresh tokens.
      const active: string[] = [];
      for (const s of env.stack.auth.secrets() as string[]) if ((await env.stack.auth.introspect(s)).active) active.push(s);
      expect(active).toEqual(expect.arrayContaining(used));
      expect(active.length).toBeGreaterThanOrEqual(2);
      expect((await readIndexedDb(page)).tokens).toHaveLength(keepSignedIn ? 1 : 0);

      await card(page, url).getByRole('button', { name: 'Disconnect' }).click();
      await expectState(page, url, 'disconnected');
      await expect(card(page, url).getByRole('status')).toHaveText('Disconnected: tokens revoked and forgotten.');
      for (const t of active) expect((await env.stack.auth.introspect(t)).active, 'a token is still active after disconnect').toBe(false);
      const db = await readIndexedDb(page);
      expect(Object.keys(db).sort()).toEqual(expect.arrayContaining(['clients', 'connections', 'flows', 'tokens']));
      for (const [store, rows] of Object.entries(db)) expect(rows, `store ${store}`).toEqual([]);
    });
  });
}

test('a ?connect= link adds and connects the server, and the link leaves the address bar', async ({ page, env }) => {
  const url = env.stack.mcp.url;
  await page.goto(`${env.appUrl}?connect=${encodeURIComponent(url)}`);
  await expectState(page, url, 'needs-authorization');
  expect(new URL(page.url()).searchParams.has('connect')).toBe(false);
  await authorize(page, env);
  await expect(await callTool(page, env, 'echo', { text: 'linked' })).toHaveText('linked');
});
