/**
 * Updates (issue 6): a new version of the worker waits while a tool call streams; the app offers
 * "Reload to update", warns that the running call would be cut, and switches only when asked,
 * keeping the connection.
 */
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoStack } from '../../demo/stack.mjs';
import { serveStatic } from '../../scripts/static-server.mjs';
import type { Page } from '@playwright/test';
import { DIST, test as guarded, expect } from './support/guard.ts';
import { callTool, card, connect, expectState, type Env, fillArguments, openTool } from './support/keyhole.ts';

const test = guarded.extend<{ site: Env & { root: string } }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure their first argument.
  site: async ({}, use) => {
    // A copy of the build that the test can "deploy" a new version into.
    const root = mkdtempSync(join(tmpdir(), 'keyhole-site-'));
    cpSync(DIST, root, { recursive: true });
    const app = await serveStatic({ root, port: 0 });
    const stack = await startDemoStack({ appOrigins: [app.origin], autoApprove: true });
    const meta = (await (await fetch(`${stack.auth.issuer}/.well-known/oauth-authorization-server`)).json()) as { authorization_endpoint: string };
    await use({ appUrl: app.url, appOrigin: app.origin, stack, authorizePath: new URL(meta.authorization_endpoint).pathname, root });
    await stack.close();
    await app.close();
    rmSync(root, { recursive: true, force: true });
  },
});

/** Every worker version's status as DevTools reports it, and the version active now. */
async function watchVersions(page: Page): Promise<{ versions: Map<string, string>; firstVersion: string }> {
  const cdp = await page.context().newCDPSession(page);
  const versions = new Map<string, string>();
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions: vs }) => {
    for (const v of vs) versions.set(v.versionId, v.status);
  });
  await cdp.send('ServiceWorker.enable');
  await expect.poll(() => [...versions.values()]).toContain('activated');
  return { versions, firstVersion: [...versions].find(([, s]) => s === 'activated')![0] };
}

test('a new version waits for a streaming tool call and switches only when the person asks', async ({ page, site }) => {
  const url = site.stack.mcp.url;
  await connect(page, site);
  const { versions, firstVersion } = await watchVersions(page);

  // A tool call that streams progress for a few seconds.
  const item = await openTool(card(page, url), 'slow-count');
  await fillArguments(item, 'slow-count', { steps: 40, delayMs: 150 });
  await item.getByRole('button', { name: 'Call slow-count', exact: true }).click();
  const out = card(page, url).locator('output[data-tool-result="slow-count"]');
  await expect(out).toHaveAttribute('data-state', 'running');

  // Deploy a new version and let the browser find it.
  appendFileSync(join(site.root, 'sw.js'), '\n// a new version\n');
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
  const banner = page.locator('[data-update]');
  await expect(banner).toContainText('A new version of Keyhole is ready');
  // It waits: the old version still controls the page and the call goes on.
  expect(versions.get(firstVersion)).toBe('activated');
  await banner.getByRole('button', { name: 'Reload to update' }).click();
  await expect(banner).toContainText('Reloading now interrupts slow-count');
  await banner.getByRole('button', { name: 'Later' }).click();
  await expect(out).toHaveText('Counted to 40', { timeout: 30_000 });
  expect(versions.get(firstVersion), 'the old version stayed in charge while the call ran').toBe('activated');

  // Now nothing runs: the switch happens at once, and the connection survives it.
  await banner.getByRole('button', { name: 'Reload to update' }).click();
  await expect.poll(() => versions.get(firstVersion)).toBe('redundant');
  await expect(page.locator('[data-update]')).toHaveCount(0);
  await expectState(page, url, 'connected');
  await expect(await callTool(page, site, 'echo', { text: 'after the update' })).toHaveText('after the update');
});

test('with two tabs open, the update switches, and the tab that did not ask keeps working', async ({ page, site }) => {
  const url = site.stack.mcp.url;
  await connect(page, site);
  // A second tab on the same app: its session holds its own list-change stream through the worker.
  const other = await page.context().newPage();
  await other.goto(site.appUrl);
  await expectState(other, url, 'connected');
  const { versions, firstVersion } = await watchVersions(page);

  appendFileSync(join(site.root, 'sw.js'), '\n// another version\n');
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
  const banner = page.locator('[data-update]');
  await expect(banner).toContainText('A new version of Keyhole is ready');
  await banner.getByRole('button', { name: 'Reload to update' }).click();
  // The old version goes once both tabs ended their streams; neither tab's stream holds it.
  await expect.poll(() => versions.get(firstVersion), { timeout: 20_000 }).toBe('redundant');
  await expectState(page, url, 'connected');
  await expect(await callTool(page, site, 'echo', { text: 'the tab that asked' })).toHaveText('the tab that asked');
  // The other tab reopened its session under the new version and works without a reload.
  await expectState(other, url, 'connected');
  await expect(await callTool(other, site, 'echo', { text: 'the other tab' })).toHaveText('the other tab');
});
