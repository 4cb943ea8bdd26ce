/**
 * Bad input from servers and from the address bar. Each case ends in an error that names the
 * step and the rule, redeems nothing (no token request at the authorization server) and leaves
 * no token and no client record in IndexedDB.
 *
 * Lying servers are a small proxy in front of the real demo stack that changes exactly one thing
 * (support/hostile.mjs); a forged `iss` is the real authorization server's redirect with that one
 * parameter changed on its way to the browser.
 */
import type { Page } from '@playwright/test';
import { DIST, test as base, expect } from './support/guard.ts';
import { freePort, startDemoStack } from '../../demo/stack.mjs';
import { serveStatic } from '../../scripts/static-server.mjs';
import { addByUrl, card, expectState, interceptAuthorizationResponse, readIndexedDb } from './support/keyhole.ts';
import { startHostile } from './support/hostile.mjs';

type Mode = 'none' | 'prm-resource' | 'issuer-mismatch' | 'no-s256' | 'iss-mismatch';
type Stack = Awaited<ReturnType<typeof startDemoStack>>;

interface Setup {
  appUrl: string;
  /** The MCP URL the person enters: the hostile peer's, or the real server's when mode is `none`. */
  url: string;
  stack: Stack;
  /** Token requests (code redemptions, refreshes) the authorization server received. */
  tokenRequests: () => number;
  /** Client registrations the authorization server received. */
  registrations: () => number;
  /** Authorization requests the authorization server received. */
  authorizePath: string;
}

const test = base.extend<{ mode: Mode; setup: Setup }>({
  mode: ['none', { option: true }],
  setup: async ({ mode }, use) => {
    const app = await serveStatic({ root: DIST, port: 0 });
    const port = await freePort();
    const stack = await startDemoStack({
      appOrigins: [app.origin],
      autoApprove: true,
      // The authorization server issues tokens for the peer's URL too, so only the lie is wrong.
      extraResources: [`http://localhost:${port}/mcp`],
    });
    const peer =
      mode === 'none' ? undefined : await startHostile({ mode, port, appOrigin: app.origin, mcpUrl: stack.mcp.url, issuer: stack.auth.issuer });
    const meta = (await (await fetch(`${stack.auth.issuer}/.well-known/oauth-authorization-server`)).json()) as Record<string, string>;
    const count = (method: string, endpoint: string) => () =>
      stack.auth.requests.filter((r: { method: string; path: string }) => r.method === method && r.path === new URL(endpoint).pathname).length;
    await use({
      appUrl: app.url,
      url: peer?.url ?? stack.mcp.url,
      stack,
      tokenRequests: count('POST', meta.token_endpoint!),
      registrations: count('POST', meta.registration_endpoint!),
      authorizePath: new URL(meta.authorization_endpoint!).pathname,
    });
    await peer?.close();
    await stack.close();
    await app.close();
  },
});

async function addServer(page: Page, s: Setup): Promise<void> {
  await page.goto(s.appUrl);
  await addByUrl(page, s.url);
}

async function expectNothingStored(page: Page): Promise<void> {
  const db = await readIndexedDb(page);
  expect(db.tokens ?? [], 'tokens in IndexedDB').toEqual([]);
  expect(db.clients ?? [], 'client records in IndexedDB').toEqual([]);
  expect(db.flows ?? [], 'pending authorizations in IndexedDB').toEqual([]);
}


test.describe('a state that was never issued', () => {
  test('a callback with an unknown state redeems nothing and says so', async ({ page, setup }) => {
    await addServer(page, setup);
    await expectState(page, setup.url, 'needs-authorization');
    await page.goto(new URL('callback.html?code=x&state=never-issued', setup.appUrl).href);
    // The worker answered the redirect URI itself and sent the browser back to the app.
    await expect(page).toHaveURL(setup.appUrl);
    await expect(page.getByRole('alert').filter({ hasText: 'did not match any authorization Keyhole started' })).toBeVisible();
    await expect(page.getByRole('alert')).toContainText('Nothing was redeemed');
    // The connection itself is untouched: it still waits for the person to authorize.
    await expectState(page, setup.url, 'needs-authorization');
    await expectNothingStored(page);
    expect(setup.tokenRequests()).toBe(0);
  });

  test('a real code with a forged state is not redeemed, and the real response still works once', async ({ page, setup }) => {
    const redirects = await interceptAuthorizationResponse(page, setup.stack.auth.issuer, setup.authorizePath, () => null);
    await addServer(page, setup);
    await expectState(page, setup.url, 'needs-authorization');
    await card(page, setup.url).getByRole('button', { name: 'Authorize' }).click();
    // The browser waits at the authorization server; the response it would have been sent is ours.
    await expect(page.getByText('Held at the authorization server')).toBeVisible();
    expect(redirects).toHaveLength(1);
    const real = redirects[0]!;
    expect(real.searchParams.get('code')).toBeTruthy();

    // An attacker's page sends the browser to the redirect URI with the stolen code and a state of its own.
    const forged = new URL(real);
    forged.searchParams.set('state', 'never-issued');
    await page.goto(forged.href);
    await expect(page).toHaveURL(setup.appUrl);
    await expect(page.getByRole('alert').filter({ hasText: 'did not match any authorization Keyhole started' })).toBeVisible();
    expect(setup.tokenRequests()).toBe(0);
    expect((await readIndexedDb(page)).tokens).toEqual([]);

    // The genuine response is still accepted: the forged one did not burn the pending authorization.
    await page.goto(real.href);
    await expectState(page, setup.url, 'connected');
    expect(setup.tokenRequests()).toBe(1);
    // And it is single use: replaying it redeems nothing more.
    await page.goto(real.href);
    await expect(page.getByRole('alert').filter({ hasText: 'already used' })).toBeVisible();
    await expectState(page, setup.url, 'connected');
    expect(setup.tokenRequests()).toBe(1);
  });
});

test.describe('an iss that differs', () => {
  for (const [name, change] of [
    ['changed', (u: URL) => u.searchParams.set('iss', 'http://localhost:9/another-issuer')],
    ['removed', (u: URL) => u.searchParams.delete('iss')],
  ] as const) {
    test(`an authorization response whose iss is ${name} on its way back is refused before any token request`, async ({ page, setup }) => {
      const redirects = await interceptAuthorizationResponse(page, setup.stack.auth.issuer, setup.authorizePath, (u) => {
        const to = new URL(u);
        change(to);
        return to;
      });
      await addServer(page, setup);
      await expectState(page, setup.url, 'needs-authorization');
      await card(page, setup.url).getByRole('button', { name: 'Authorize' }).click();
      await expectState(page, setup.url, 'error');
      // The untouched response was good: the real issuer, a real code.
      expect(redirects[0]!.searchParams.get('iss')).toBe(setup.stack.auth.issuer);
      expect(redirects[0]!.searchParams.get('code')).toBeTruthy();
      const alert = card(page, setup.url).getByRole('alert');
      await expect(alert).toHaveText(/^Authorization response: /);
      await expect(alert).toHaveText(/"iss".*RFC 9207/);
      await expect(alert).toContainText('Nothing was redeemed');
      await expect(page).toHaveURL(setup.appUrl);
      await expectNothingStored(page);
      expect(setup.tokenRequests()).toBe(0);
    });
  }

  test.describe('mix-up', () => {
    test.use({ mode: 'iss-mismatch' });
    test('a resource that names a lying authorization server: the real one’s iss is refused', async ({ page, setup }) => {
      await addServer(page, setup);
      await expectState(page, setup.url, 'needs-authorization');
      await card(page, setup.url).getByRole('button', { name: 'Authorize' }).click();
      await expectState(page, setup.url, 'error');
      const alert = card(page, setup.url).getByRole('alert');
      await expect(alert).toHaveText(/^Authorization response: /);
      await expect(alert).toHaveText(/"iss".*RFC 9207/);
      await expect(page).toHaveURL(setup.appUrl);
      await expectNothingStored(page);
      // The real authorization server did issue a code; it was never redeemed.
      expect(setup.stack.auth.secrets().length).toBeGreaterThanOrEqual(1);
      expect(setup.tokenRequests()).toBe(0);
    });
  });
});

const discoveryCases: { mode: Mode; what: string; step: RegExp; rule: RegExp }[] = [
  { mode: 'issuer-mismatch', what: 'authorization server metadata whose issuer differs', step: /^Authorization server metadata: /, rule: /issuer.*must be identical \(RFC 8414 §3\.3\)/ },
  { mode: 'prm-resource', what: 'protected resource metadata whose resource is another server', step: /^Protected resource metadata: /, rule: /another-server.*RFC 9728 §3\.3/ },
  { mode: 'no-s256', what: 'an authorization server without S256', step: /^Authorization server metadata: /, rule: /S256.*code_challenge_methods_supported/ },
];

for (const { mode, what, step, rule } of discoveryCases) {
  test.describe(what, () => {
    test.use({ mode });
    test('ends in an error naming the step and the rule; nothing registered, requested or stored', async ({ page, setup }) => {
      await addServer(page, setup);
      await expectState(page, setup.url, 'error');
      const alert = card(page, setup.url).getByRole('alert');
      await expect(alert).toHaveText(step);
      await expect(alert).toHaveText(rule);
      await expect(card(page, setup.url).getByRole('button', { name: 'Authorize' })).toHaveCount(0);
      await expectNothingStored(page);
      expect(setup.registrations()).toBe(0);
      expect(setup.stack.auth.requests.filter((r: { path: string }) => r.path === setup.authorizePath)).toEqual([]);
      expect(setup.tokenRequests()).toBe(0);
    });
  });
}
