/**
 * Bad input from servers: each case ends in a clear error naming the step and the rule, and
 * leaves no token and no client record behind (foundation issue; more cases come with the
 * hostile-servers issue).
 */
import { test as base, expect, type Page } from '@playwright/test';
import { freePort, startDemoStack } from '../../demo/stack.mjs';
import { serveStatic } from '../../scripts/static-server.mjs';
import { card, expectState, readIndexedDb } from './support/keyhole.ts';
import { startHostile } from './support/hostile.mjs';

type Mode = 'prm-resource' | 'issuer-mismatch' | 'no-s256' | 'iss-mismatch';

const test = base.extend<{ mode: Mode; hostile: { appUrl: string; url: string; tokenRequests: () => number } }>({
  mode: ['prm-resource', { option: true }],
  hostile: async ({ mode }, use) => {
    const app = await serveStatic({ root: 'dist', port: 0 });
    const port = await freePort();
    const stack = await startDemoStack({
      appOrigins: [app.origin],
      autoApprove: true,
      extraResources: [`http://localhost:${port}/mcp`],
    });
    const peer = await startHostile({ mode, port, appOrigin: app.origin, mcpUrl: stack.mcp.url, issuer: stack.auth.issuer });
    await use({
      appUrl: app.url,
      url: peer.url,
      tokenRequests: () => stack.auth.requests.filter((r: { path: string; method: string }) => r.method === 'POST' && r.path === '/token').length,
    });
    await peer.close();
    await stack.close();
    await app.close();
  },
});

async function addServer(page: Page, appUrl: string, url: string): Promise<void> {
  await page.goto(appUrl);
  await page.getByLabel('MCP server URL').fill(url);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
}

async function expectNothingStored(page: Page): Promise<void> {
  const db = await readIndexedDb(page);
  expect(db.tokens ?? []).toEqual([]);
  expect(db.clients ?? []).toEqual([]);
  expect(db.flows ?? []).toEqual([]);
}

const discoveryCases: [Mode, RegExp, RegExp][] = [
  ['prm-resource', /Protected resource metadata/, /another-server.*RFC 9728 §3\.3/],
  ['issuer-mismatch', /Authorization server metadata/, /issuer.*must be identical \(RFC 8414 §3\.3\)/],
  ['no-s256', /Authorization server metadata/, /S256.*code_challenge_methods_supported/],
];

for (const [mode, step, rule] of discoveryCases) {
  test.describe(mode, () => {
    test.use({ mode });
    test(`ends in an error naming the step and the rule, nothing stored`, async ({ page, hostile }) => {
      await addServer(page, hostile.appUrl, hostile.url);
      await expectState(page, hostile.url, 'error');
      const alert = card(page, hostile.url).getByRole('alert');
      await expect(alert).toHaveText(step);
      await expect(alert).toHaveText(rule);
      await expect(card(page, hostile.url).getByRole('button', { name: 'Authorize' })).toHaveCount(0);
      await expectNothingStored(page);
      expect(hostile.tokenRequests()).toBe(0);
    });
  });
}

test.describe('iss-mismatch', () => {
  test.use({ mode: 'iss-mismatch' });
  test('an authorization response from another issuer is refused before any token request', async ({ page, hostile }) => {
    await addServer(page, hostile.appUrl, hostile.url);
    await expectState(page, hostile.url, 'needs-authorization');
    await card(page, hostile.url).getByRole('button', { name: 'Authorize' }).click();
    await expectState(page, hostile.url, 'error');
    const alert = card(page, hostile.url).getByRole('alert');
    await expect(alert).toHaveText(/Authorization response/);
    await expect(alert).toHaveText(/iss.*RFC 9207/);
    await expect(page).toHaveURL(hostile.appUrl);
    await expectNothingStored(page);
    expect(hostile.tokenRequests()).toBe(0);
  });
});

test('a state that was never issued redeems nothing and says so', async ({ page, hostile }) => {
  await addServer(page, hostile.appUrl, hostile.url);
  await expect(card(page, hostile.url)).toHaveAttribute('data-state', /error|needs-authorization/);
  await page.goto(new URL('callback.html?code=stolen-code&state=never-issued', hostile.appUrl).href);
  await expect(page).toHaveURL(hostile.appUrl);
  await expect(page.getByRole('alert').filter({ hasText: 'did not match any authorization Keyhole started' })).toBeVisible();
  expect(page.url()).not.toContain('stolen-code');
  await expectNothingStored(page);
  expect(hostile.tokenRequests()).toBe(0);
});
