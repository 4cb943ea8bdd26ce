/**
 * The port transport (issue 18 goal 3; src/app/port-fetch.ts ↔ src/sw/port-transport.ts), the
 * default: the SDK's requests reach the worker as messages, not fetch events, and the worker
 * treats them as it treats intercepted ones: credentials for the app's own top-level page only,
 * nothing secret in what comes back. A worker stopped mid-request is covered by
 * termination.spec.ts, which runs over this transport; here, one stopped mid-answer.
 */
import type { Page } from '@playwright/test';
import { addByUrl, authorize, callTool, card, connect, expect, expectState, fillArguments, openTool, stopServiceWorkers, test } from './support/keyhole.ts';

const ECHO = (id: number, text: string) =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: { text } } });

/** In the page (or a frame of it): one request over the port, the worker's answer as the page receives it. */
async function portAnswer(page: Page, o: { url: string; body: string; inFrame?: string }) {
  return page.evaluate(async ({ url, body, inFrame }) => {
    let w: Window & typeof globalThis = window;
    let frame: HTMLIFrameElement | undefined;
    if (inFrame) {
      frame = document.createElement('iframe');
      const loaded = new Promise((resolve) => frame!.addEventListener('load', resolve, { once: true }));
      frame.src = new URL(inFrame, location.href).href;
      document.body.append(frame);
      await loaded;
      w = frame.contentWindow as Window & typeof globalThis;
    }
    const worker = w.navigator.serviceWorker.controller;
    if (!worker) throw new Error('not controlled by the worker');
    const { port1, port2 } = new w.MessageChannel();
    const answer = await new Promise<{ type: string; status?: number; headers?: [string, string][]; body?: unknown }>((resolve) => {
      // The worker first says it took the request (and which lock marks its life), then answers.
      port1.onmessage = (e) => e.data?.type !== 'accepted' && resolve(e.data);
      const headers = [
        ['content-type', 'application/json'],
        ['accept', 'application/json, text/event-stream'],
        ['mcp-protocol-version', '2025-11-25'],
      ];
      worker.postMessage({ type: 'keyhole:fetch', url, method: 'POST', headers, body: new TextEncoder().encode(body).buffer }, [port2]);
    });
    frame?.remove();
    const text = answer.body ? await new Response(answer.body as BodyInit).text() : '';
    return { type: answer.type, status: answer.status, headers: answer.headers, text };
  }, o);
}

test('tool calls go over the port, not through fetch events, with the worker adding the credentials', async ({ page, env }) => {
  // The default: no ?transport= in the URL.
  await page.goto(`${env.appUrl}?protocol=2026-07-28`);
  await addByUrl(page, env.stack.mcp.url);
  await authorize(page, env);
  const mcpRequestsFromPage: string[] = [];
  page.on('request', (r) => {
    if (r.url() === env.stack.mcp.url && !r.serviceWorker()) mcpRequestsFromPage.push(r.method());
  });
  const before = env.stack.mcp.authorizations.length;
  const out = await callTool(page, env, 'echo', { text: 'over the port' });
  await expect(out).toContainText('over the port');
  expect(env.stack.mcp.authorizations.length, 'the server received the call with credentials').toBeGreaterThan(before);
  expect(mcpRequestsFromPage, 'requests the page itself sent to the MCP server (fetch-event path)').toEqual([]);
  await expect(card(page, env.stack.mcp.url)).toHaveAttribute('data-state', 'connected');
});

test('with ?transport=fetch the same page uses fetch events (control)', async ({ page, env }) => {
  await page.goto(`${env.appUrl}?transport=fetch&protocol=2026-07-28`);
  await addByUrl(page, env.stack.mcp.url);
  await authorize(page, env);
  const mcpRequestsFromPage: string[] = [];
  page.on('request', (r) => {
    if (r.url() === env.stack.mcp.url && !r.serviceWorker()) mcpRequestsFromPage.push(r.method());
  });
  const out = await callTool(page, env, 'echo', { text: 'through a fetch event' });
  await expect(out).toContainText('through a fetch event');
  expect(mcpRequestsFromPage.length).toBeGreaterThan(0);
});

test('the worker answers the app page over the port with no credential in the answer', async ({ page, env }) => {
  await page.goto(`${env.appUrl}?protocol=2025-11-25`);
  await addByUrl(page, env.stack.mcp.url);
  await authorize(page, env);
  const init = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'probe', version: '0' } },
  });
  const answer = await portAnswer(page, { url: env.stack.mcp.url, body: init });
  expect(answer.type).toBe('response');
  expect(answer.status).toBe(200);
  expect(answer.text).toContain('"serverInfo"');
  const tokens = env.stack.mcp.authorizations.map((a: string) => a.split(' ')[1]).filter((t): t is string => !!t);
  expect(tokens.length).toBeGreaterThan(0);
  const seen = JSON.stringify(answer);
  for (const t of tokens) expect(seen.includes(t), 'an access token in the port answer').toBe(false);
  const names = (answer.headers ?? []).map(([n]) => n);
  for (const n of ['authorization', 'dpop', 'set-cookie', 'www-authenticate']) expect(names).not.toContain(n);
});

test.describe('with the CSP lifted', () => {
  // As in gate.spec.ts: a framable page of the origin, controlled by the worker, must not borrow
  // its credentials over the port either.
  test.use({ bypassCSP: true });
  test('a frame inside the app gets no credentials over the port', async ({ page, env }) => {
    await page.goto(`${env.appUrl}?protocol=2025-11-25`);
    await addByUrl(page, env.stack.mcp.url);
    await authorize(page, env);
    const before = env.stack.mcp.authorizations.length;
    const answer = await portAnswer(page, { url: env.stack.mcp.url, body: ECHO(7, 'from a frame'), inFrame: 'framed-page.html' });
    expect(answer.type, 'the worker declines; the frame would have to fetch without credentials').toBe('not-ours');
    expect(env.stack.mcp.authorizations.length).toBe(before);
  });
});

test('a worker stopped while it streams an answer: the page learns it at once, and the next call works', async ({ page, env }) => {
  const url = env.stack.mcp.url;
  await page.goto(`${env.appUrl}?protocol=2025-11-25`);
  await addByUrl(page, url);
  await authorize(page, env);
  const item = await openTool(card(page, url), 'slow-count');
  await fillArguments(item, 'slow-count', { steps: 60, delayMs: 500 });
  await item.getByRole('button', { name: 'Call slow-count', exact: true }).click();
  // Progress has arrived: the answer is a stream the worker is passing on.
  await expect(card(page, url).getByRole('progressbar')).toBeVisible();
  const lifeLocks = () =>
    page.evaluate(async () => {
      const { held = [], pending = [] } = await navigator.locks.query();
      const life = (l: LockInfo) => l.name?.startsWith('keyhole:worker-life:');
      return { held: held.filter(life).length, waiting: pending.filter(life).length };
    });
  // The worker holds its life lock, and the page waits on it.
  expect(await lifeLocks()).toEqual({ held: 1, waiting: 1 });
  await stopServiceWorkers(page);
  // Granted to the page once the worker is gone: the streamed body fails then (port-fetch.ts
  // guarded), not never. The SDK keeps the call open until its own timeout, as for any broken stream.
  await expect.poll(lifeLocks).toEqual({ held: 0, waiting: 0 });
  await expect(await callTool(page, env, 'echo', { text: 'after the stop' })).toHaveText('after the stop');
  await expect.poll(lifeLocks, { message: 'the next worker holds a life lock of its own' }).toEqual({ held: 1, waiting: 1 });
});

test('ten reloads in a row each connect: a gone page’s open streams do not keep their connections', async ({ page, env }) => {
  // Each page keeps a subscriptions/listen stream open (2026-07-28). Over the port, nothing tells
  // the worker a page went away unless the page says so (port-fetch.ts, pagehide) or the worker
  // finds it gone (orphaned-requests.ts); six leaked streams took every HTTP/1.1 connection to
  // the server, and the seventh page waited for ever ("Loading the workbench…").
  const url = env.stack.mcp.url;
  await page.goto(`${env.appUrl}?protocol=2026-07-28`);
  await connect(page, env, { keepSignedIn: true });
  for (let k = 1; k <= 10; k++) {
    await page.reload();
    await expectState(page, url, 'connected');
    await expect(card(page, url).getByRole('tab', { name: /^Tools/ }), `reload ${k}`).toBeVisible();
  }
  await expect(await callTool(page, env, 'echo', { text: 'after ten reloads' })).toHaveText('after ten reloads');
});

test('pages that leave without a word (no pagehide) have their open streams closed by the worker', async ({ page, env }) => {
  // As a crashed tab: the page's pagehide listeners never run, so only the worker's sweep for
  // gone clients (orphaned-requests.ts) frees the connections their listen streams held.
  await page.addInitScript(() => {
    const add = window.addEventListener.bind(window);
    window.addEventListener = ((type: string, ...rest: unknown[]) => {
      if (type !== 'pagehide') (add as (...a: unknown[]) => void)(type, ...rest);
    }) as typeof window.addEventListener;
  });
  const url = env.stack.mcp.url;
  await page.goto(`${env.appUrl}?protocol=2026-07-28`);
  await connect(page, env, { keepSignedIn: true });
  for (let k = 1; k <= 8; k++) {
    await page.reload();
    await expect(card(page, url).getByRole('tab', { name: /^Tools/ }), `reload ${k}`).toBeVisible({ timeout: 30_000 });
  }
  await expect(await callTool(page, env, 'echo', { text: 'after the sweep' })).toHaveText('after the sweep');
});
