/**
 * What every end-to-end test needs: the built app and the demo stack on free loopback ports,
 * and the few gestures a person makes in the UI.
 */
import type { Locator, Page } from '@playwright/test';
import { DIST, test as base, expect } from './guard.ts';
import { startDemoStack } from '../../../demo/stack.mjs';
import { serveStatic } from '../../../scripts/static-server.mjs';

type Stack = Awaited<ReturnType<typeof startDemoStack>>;

export interface Env {
  appUrl: string;
  appOrigin: string;
  stack: Stack;
  /** Path of the authorization endpoint, to count authorization requests. */
  authorizePath: string;
}

export interface EnvOptions {
  autoApprove: boolean;
  accessTokenTTL: number;
  /** Run the demo stack without DPoP, so tokens are Bearer and the Bearer storage policy applies. */
  bearerOnly: boolean;
  /** The authorization server advertises DPoP but answers with Bearer tokens. */
  downgradeDpop: boolean;
  /** The MCP server answers its lists this many entries at a time (MCP pagination); 0: all at once. */
  pageSize: number;
}

export const test = base.extend<EnvOptions & { env: Env }>({
  autoApprove: [true, { option: true }],
  accessTokenTTL: [300, { option: true }],
  bearerOnly: [false, { option: true }],
  downgradeDpop: [false, { option: true }],
  pageSize: [0, { option: true }],
  env: async ({ autoApprove, accessTokenTTL, bearerOnly, downgradeDpop, pageSize }, use) => {
    const app = await serveStatic({ root: DIST, port: 0 });
    const stack = await startDemoStack({
      appOrigins: [app.origin],
      autoApprove,
      accessTokenTTL,
      bearerOnly,
      downgradeDpop,
      ...(pageSize ? { pageSize } : {}),
    });
    const meta = (await (await fetch(`${stack.auth.issuer}/.well-known/oauth-authorization-server`)).json()) as {
      authorization_endpoint: string;
    };
    await use({ appUrl: app.url, appOrigin: app.origin, stack, authorizePath: new URL(meta.authorization_endpoint).pathname });
    await stack.close();
    await app.close();
  },
});

export { expect };

export function card(page: Page, serverUrl: string): Locator {
  return page.locator(`server-card[data-server-url="${serverUrl}"]`);
}

export async function expectState(page: Page, serverUrl: string, state: string, timeout = 20_000): Promise<void> {
  await expect(card(page, serverUrl)).toHaveAttribute('data-state', state, { timeout });
}

/** Unfolds the sidebar's "Add a server" form (folded once a server exists), as a person would. */
export async function openAddForm(page: Page): Promise<void> {
  const add = page.locator('details.add');
  if ((await add.getAttribute('open')) === null) await add.locator(':scope > summary').click();
}

/** Types a server URL into the add form and presses its Connect button. */
export async function addByUrl(page: Page, serverUrl: string, options: { keepSignedIn?: boolean } = {}): Promise<void> {
  await openAddForm(page);
  await page.getByLabel('MCP server URL').fill(serverUrl);
  if (options.keepSignedIn) await page.getByLabel('Keep me signed in on this device').check();
  await page.locator('details.add').getByRole('button', { name: 'Connect', exact: true }).click();
}

/** Opens the app, pastes the server's URL, optionally ticks "Keep me signed in", presses Connect. */
export async function openAndConnect(page: Page, appUrl: string, serverUrl: string, options: { keepSignedIn?: boolean } = {}): Promise<void> {
  await page.goto(appUrl);
  await addByUrl(page, serverUrl, options);
}

/** openAndConnect for the demo stack's MCP server. */
export async function addServer(page: Page, env: Env, options: { keepSignedIn?: boolean } = {}): Promise<void> {
  await openAndConnect(page, env.appUrl, env.stack.mcp.url, options);
}

/** From needs-authorization to connected with the auto-approving demo server. */
export async function authorize(page: Page, env: Env): Promise<void> {
  const c = card(page, env.stack.mcp.url);
  await expectState(page, env.stack.mcp.url, 'needs-authorization');
  await c.getByRole('button', { name: 'Authorize' }).click();
  await expectState(page, env.stack.mcp.url, 'connected');
}

export async function connect(page: Page, env: Env, options: { keepSignedIn?: boolean } = {}): Promise<void> {
  await addServer(page, env, options);
  await authorize(page, env);
}

/** Types a tool's arguments as JSON (the form's JSON mode), as a person pasting them would. */
export async function fillArguments(item: Locator, name: string, args: unknown): Promise<void> {
  await item.getByRole('button', { name: 'JSON', exact: true }).click();
  await item.getByLabel(`Arguments for ${name} (JSON)`, { exact: true }).fill(typeof args === 'string' ? args : JSON.stringify(args));
}

/** Opens the app pinned to a protocol revision (`?protocol=`), adds the demo server and authorizes; returns its card. */
export async function connectOn(page: Page, env: Env, protocol: string): Promise<Locator> {
  await page.goto(`${env.appUrl}?protocol=${protocol}`);
  await addByUrl(page, env.stack.mcp.url);
  await authorize(page, env);
  const c = card(page, env.stack.mcp.url);
  await expect(c.locator('dl.facts')).toContainText(protocol);
  return c;
}

/** A card's workbench tab, by the start of its name ("Tools", "History"). */
export function tab(c: Locator, name: string): Locator {
  return c.getByRole('tab', { name: new RegExp(`^${name}`) });
}

/** Opens an entry of a list/detail panel (Resources, Prompts) by its key (URI, template or name). */
export async function openEntry(c: Locator, list: 'Resources' | 'Prompts', key: string): Promise<void> {
  await c.getByRole('listbox', { name: list, exact: true }).locator(`[role="option"][data-key="${key}"]`).click();
}

/** A tool's entry in a card's tool list. */
export function toolOption(c: Locator, name: string): Locator {
  return c.getByRole('listbox', { name: 'Tools' }).locator(`[role="option"][data-key="${name}"]`);
}

/**
 * Opens a tool in a card's Tools tab (its entry in the tool list) and returns the tool's detail:
 * its form, Call button and result.
 */
export async function openTool(c: Locator, name: string): Promise<Locator> {
  const tools = c.getByRole('tab', { name: /^Tools/ });
  if ((await tools.getAttribute('aria-selected')) !== 'true') await tools.click();
  await toolOption(c, name).click();
  const detail = c.locator(`section[data-tool="${name}"]`);
  await expect(detail).toBeVisible();
  return detail;
}

/** Calls a tool through the card and returns the output element once the call finished. */
export async function callTool(page: Page, env: Env, name: string, args: unknown = {}): Promise<Locator> {
  const c = card(page, env.stack.mcp.url);
  const item = await openTool(c, name);
  await fillArguments(item, name, args);
  await item.getByRole('button', { name: `Call ${name}`, exact: true }).click();
  const out = c.locator(`output[data-tool-result="${name}"]`);
  await expect(out).not.toHaveAttribute('data-state', 'running', { timeout: 30_000 });
  return out;
}

/** Authorization requests the AS has seen so far. */
export function authorizationRequests(env: Env): number {
  return env.stack.auth.requests.filter((r: { method: string; path: string }) => r.method === 'GET' && r.path === env.authorizePath).length;
}

/** Everything in the worker's IndexedDB, read from page code as any script of the origin could. */
export async function readIndexedDb(page: Page): Promise<Record<string, unknown[]>> {
  return page.evaluate(async () => {
    const names = (await indexedDB.databases()).map((d) => d.name);
    if (!names.includes('keyhole')) return {};
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('keyhole');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const out: Record<string, unknown[]> = {};
    for (const store of Array.from(db.objectStoreNames)) {
      out[store] = await new Promise<unknown[]>((resolve, reject) => {
        const req = db.transaction(store).objectStore(store).getAll();
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    }
    db.close();
    return out;
  });
}

/**
 * Stops every service worker of the browser, as the browser may do at any moment, and returns
 * once DevTools has reported each running version stopped (so a test cannot pass on a worker
 * that merely kept running). The browser may start a worker again at once for a request that
 * was waiting on it, so "stopped" is a transition seen, not a state polled.
 */
export async function stopServiceWorkers(page: Page): Promise<void> {
  // From a blank tab of the same profile: the page itself may be mid-navigation, between
  // processes, and a DevTools session on it would go with the old one.
  const observer = await page.context().newPage();
  const cdp = await page.context().newCDPSession(observer);
  const status = new Map<string, string>();
  let stopping = false;
  const stopped = new Set<string>();
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const v of versions) {
      status.set(v.versionId, v.runningStatus);
      if (stopping && v.runningStatus === 'stopped') stopped.add(v.versionId);
    }
  });
  await cdp.send('ServiceWorker.enable');
  await expect.poll(() => [...status.values()], { message: 'a service worker runs before it is stopped' }).toContain('running');
  const running = [...status].filter(([, s]) => s === 'running').map(([id]) => id);
  stopping = true;
  await cdp.send('ServiceWorker.stopAllWorkers');
  await expect
    .poll(() => running.every((id) => stopped.has(id)), { message: 'every running service worker version reports stopped', timeout: 10_000 })
    .toBe(true);
  await cdp.detach();
  await observer.close();
}

/**
 * Lets the real authorization server answer the authorization request (following its own
 * redirects, with the browser's cookies) and hands the redirect back to the app to `rewrite`:
 * it returns the URL the browser is sent to, or null to keep the browser at the authorization
 * server. Returns the untouched redirect URLs seen.
 */
export async function interceptAuthorizationResponse(
  page: Page,
  issuer: string,
  authorizePath: string,
  rewrite: (redirect: URL) => URL | null,
): Promise<URL[]> {
  const seen: URL[] = [];
  await page.route(
    (u) => u.origin === issuer && u.pathname === authorizePath,
    async (route) => {
      let next = route.request().url();
      for (let hop = 0; hop < 10; hop++) {
        const res = await page.context().request.get(next, { maxRedirects: 0 });
        const location = res.headers()['location'];
        if (!location) return route.fulfill({ response: res });
        const target = new URL(location, next);
        if (target.origin !== issuer) {
          seen.push(new URL(target));
          const to = rewrite(target);
          if (!to) return route.fulfill({ contentType: 'text/html; charset=utf-8', body: '<!doctype html><title>Held</title><p>Held at the authorization server</p>' });
          return route.fulfill({ status: 303, headers: { location: to.href } });
        }
        next = target.href;
      }
      throw new Error('the authorization server redirected too often');
    },
  );
  return seen;
}
