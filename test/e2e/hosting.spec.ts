/**
 * Build once, host anywhere (issue 9): the app built for a public URL with a base path, served
 * by a plain static file server that applies the build's `_headers` the way Netlify and
 * Cloudflare Pages do, under that base path. The whole flow runs there; the Client ID Metadata
 * Document is checked against the draft's rules; Chromium's own installability check passes;
 * the app opens from its cache with the network cut and recovers when it returns.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/find-chromium.mjs';
import { startDemoStack } from '../../demo/stack.mjs';
import { serveStatic } from '../../scripts/static-server.mjs';
import { test as guarded, expect } from './support/guard.ts';
import { callTool, card, connect, expectState, openAddForm, type Env } from './support/keyhole.ts';

const PUBLIC_URL = 'https://keyhole.example/tools/keyhole/';
const BASE_PATH = new URL(PUBLIC_URL).pathname;
const OUT_DIR = 'dist-hosted';
const executablePath = await findChromium();

const test = guarded.extend<{ hosted: Env & { served: { path: string; status: number }[] } }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure their first argument.
  hosted: async ({}, use) => {
    const app = await serveStatic({ root: OUT_DIR, port: 0, basePath: BASE_PATH, headersFile: true });
    const stack = await startDemoStack({ appOrigins: [app.origin], autoApprove: true });
    const meta = (await (await fetch(`${stack.auth.issuer}/.well-known/oauth-authorization-server`)).json()) as { authorization_endpoint: string };
    await use({ appUrl: app.url, appOrigin: app.origin, stack, authorizePath: new URL(meta.authorization_endpoint).pathname, served: app.requests });
    await stack.close();
    await app.close();
  },
});

test.beforeAll(() => {
  // The README's build command with the one setting a deployment needs.
  execFileSync('npm', ['run', '--silent', 'build'], {
    env: { ...process.env, KEYHOLE_PUBLIC_URL: PUBLIC_URL, KEYHOLE_OUT_DIR: OUT_DIR },
    stdio: 'pipe',
  });
});

async function workerScope(page: Page): Promise<string | undefined> {
  return page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.scope);
}

test('under a base path with the host headers applied: connect, authorize, call', async ({ page, hosted }) => {
  const index = await fetch(hosted.appUrl);
  expect(index.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  expect(index.headers.get('content-security-policy')).toContain("require-trusted-types-for 'script'");
  expect((await fetch(new URL('sw.js', hosted.appUrl))).headers.get('cache-control')).toBe('no-cache');
  expect((await fetch(new URL('manifest.webmanifest', hosted.appUrl))).headers.get('content-type')).toBe('application/manifest+json');

  await connect(page, hosted);
  expect(new URL(page.url()).pathname).toBe(BASE_PATH);
  expect(await workerScope(page)).toBe(hosted.appUrl);
  await expect(await callTool(page, hosted, 'echo', { text: 'from a sub path' })).toHaveText('from a sub path');
  // The redirect URI sat under the base path, where the worker answered it: the host never saw it.
  expect(hosted.served.filter((r) => r.path.endsWith('/callback.html'))).toEqual([]);
  // Nothing was requested outside the base path: the site works as a sub-folder.
  expect(hosted.served.filter((r) => !r.path.startsWith(BASE_PATH))).toEqual([]);
});

test('the Client ID Metadata Document follows the draft’s rules', async ({ hosted }) => {
  const res = await fetch(new URL('client-metadata.json', hosted.appUrl));
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json');
  const doc = (await res.json()) as Record<string, unknown>;
  const clientId = new URL(String(doc.client_id));
  // The client_id is the document's own URL at the deployment: https, with a path, no fragment,
  // no credentials, no dot segments.
  expect(doc.client_id).toBe(new URL('client-metadata.json', PUBLIC_URL).href);
  expect(clientId.protocol).toBe('https:');
  expect(clientId.pathname).not.toBe('/');
  expect(clientId.hash).toBe('');
  expect(clientId.username + clientId.password).toBe('');
  expect(String(doc.client_id)).not.toMatch(/\/\.\.?\//);
  // Redirect URIs on the same origin, under the base path: exactly the callback page.
  expect(doc.redirect_uris).toEqual([new URL('callback.html', PUBLIC_URL).href]);
  for (const uri of doc.redirect_uris as string[]) expect(new URL(uri).origin).toBe(clientId.origin);
  expect(doc.token_endpoint_auth_method).toBe('none');
  expect(doc).not.toHaveProperty('client_secret');
  expect(doc.grant_types).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token']));
  expect(doc.response_types).toEqual(['code']);
  expect(doc.application_type).toBe('web');
  expect(doc.client_name).toBe('Keyhole');
  expect(doc.client_uri).toBe(PUBLIC_URL);
  expect(new URL(String(doc.logo_uri)).origin).toBe(clientId.origin);
  // The logo is really there, at the same place under the base path.
  const logo = await fetch(new URL(new URL(String(doc.logo_uri)).pathname.slice(BASE_PATH.length), hosted.appUrl));
  expect(logo.headers.get('content-type')).toBe('image/png');
  // The worker was built with that URL as its client ID.
  const sw = await (await fetch(new URL('sw.js', hosted.appUrl))).text();
  expect(sw.includes(String(doc.client_id)), 'sw.js carries the client ID').toBe(true);
});

test('Chromium finds the app installable', async ({ hosted }) => {
  // Playwright's contexts are incognito, where nothing installs: a real profile instead.
  const profile = await mkdtemp(join(tmpdir(), 'keyhole-install-'));
  const context = await chromium.launchPersistentContext(profile, {
    headless: true,
    args: CHROMIUM_ARGS,
    ...(executablePath ? { executablePath } : {}),
  });
  const page = context.pages()[0] ?? (await context.newPage());
  try {
    await checkInstallable(page, hosted.appUrl);
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
});

async function checkInstallable(page: Page, appUrl: string): Promise<void> {
  await page.goto(appUrl);
  await expect(page.getByRole('button', { name: 'Connect', exact: true })).toBeEnabled();
  const cdp = await page.context().newCDPSession(page);
  const manifest = (await cdp.send('Page.getAppManifest')) as { url: string; errors: unknown[]; parsed?: unknown };
  expect(manifest.url).toBe(new URL('manifest.webmanifest', appUrl).href);
  expect(manifest.errors).toEqual([]);
  const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string }[] };
  expect(installabilityErrors).toEqual([]);
  const parsed = await page.evaluate(async (url) => (await fetch(url)).json(), manifest.url);
  expect(parsed).toMatchObject({ start_url: './', scope: './', display: 'standalone' });
  for (const icon of parsed.icons as { src: string; sizes: string }[]) {
    const res = await page.evaluate(async (u) => {
      const r = await fetch(u);
      const bitmap = await createImageBitmap(await r.blob());
      return { type: r.headers.get('content-type'), size: `${bitmap.width}x${bitmap.height}` };
    }, new URL(icon.src, manifest.url).href);
    expect(res).toEqual({ type: 'image/png', size: icon.sizes });
  }
}

test('offline: the shell opens from the cache, says so, and reconnects when the network is back', async ({ page, context, hosted }) => {
  const url = hosted.stack.mcp.url;
  await connect(page, hosted);
  // The worker has precached the shell once it is active.
  await expect.poll(() => page.evaluate(async () => (await caches.keys()).length)).toBeGreaterThan(0);
  const servedBefore = hosted.served.length;

  await context.setOffline(true);
  await page.reload();
  await expect(page.locator('[data-offline]')).toContainText('You are offline');
  await openAddForm(page);
  const form = page.getByRole('form', { name: 'Add an MCP server' });
  await expect(form.getByRole('button', { name: 'Connect', exact: true })).toBeEnabled();
  // The card says this server cannot be reached now.
  await expectState(page, url, 'error');
  await expect(card(page, url).getByRole('alert')).toContainText('could not be reached');
  expect(hosted.served.length, 'requests the static host received while offline').toBe(servedBefore);

  await context.setOffline(false);
  await expect(page.locator('[data-offline]')).toHaveCount(0);
  await expectState(page, url, 'connected');
  await expect(await callTool(page, hosted, 'echo', { text: 'back online' })).toHaveText('back online');
});
