/**
 * Custody: during a full run (connect, authorize, tools, step-up, reload, a second tab,
 * disconnect) no token, refresh token, authorization code or PKCE verifier that the authorization
 * server issued or received ever reaches anything page code can see: committed URLs, history,
 * the DOM (shadow roots included), page storage, cookies, messages from the worker, the requests
 * the page made and the responses it could read, and the console.
 *
 * Two controls keep the test from passing vacuously: the capture must have seen what the page
 * legitimately gets (tool results, worker messages, MCP answers through the worker), and the same
 * kind of capture applied to the worker's own traffic must find every one of the secrets.
 */
import type { BrowserContext, Page, Request, Response } from '@playwright/test';
import { card, connect, callTool, expect, expectState, test, openTool } from './support/keyhole.ts';

declare global {
  interface Window {
    __custodyRecord?: (source: string, text: string) => void;
  }
}

/**
 * Installed before any app code in every document: reports every message the page receives from
 * the worker. workbox-window's messageSW answers through a MessageChannel port (`onmessage`), the
 * worker's broadcasts arrive on navigator.serviceWorker; BroadcastChannel and window messages are
 * recorded too in case anything ever uses them.
 */
function recordMessages(): void {
  const record = (source: string, data: unknown) => {
    let text: string;
    try {
      text = typeof data === 'string' ? data : JSON.stringify(data);
    } catch {
      text = String(data);
    }
    window.__custodyRecord?.(source, text);
  };
  navigator.serviceWorker?.addEventListener('message', (e) => record('serviceWorker', e.data));
  window.addEventListener('message', (e) => record('window', e.data));
  for (const proto of [MessagePort.prototype, BroadcastChannel.prototype]) {
    const source = proto === MessagePort.prototype ? 'port' : 'broadcast';
    const desc = Object.getOwnPropertyDescriptor(proto, 'onmessage')!;
    Object.defineProperty(proto, 'onmessage', {
      ...desc,
      set(handler: ((e: MessageEvent) => void) | null) {
        desc.set!.call(this, handler ? (e: MessageEvent) => (record(source, e.data), handler.call(this, e)) : null);
      },
    });
    const add = proto.addEventListener;
    proto.addEventListener = function (this: EventTarget, type: string, listener: unknown, options?: unknown) {
      if (type === 'message' && typeof listener === 'function') {
        const inner = listener as (e: MessageEvent) => void;
        return add.call(this, type, (e: Event) => (record(source, (e as MessageEvent).data), inner.call(this, e as MessageEvent)), options as boolean);
      }
      return add.call(this, type, listener as EventListener, options as boolean);
    } as typeof proto.addEventListener;
  }
}

/** The whole DOM, shadow roots and form field values included, as text a script could read. */
async function fullDom(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts: string[] = [document.title];
    const walk = (root: Document | ShadowRoot) => {
      parts.push(root instanceof Document ? root.documentElement.outerHTML : root.innerHTML);
      for (const el of Array.from(root.querySelectorAll('*'))) {
        if (el.shadowRoot) walk(el.shadowRoot);
        if (el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement || el instanceof HTMLOutputElement) parts.push(el.value);
      }
    };
    walk(document);
    return parts.join('\n');
  });
}

/** Every JSON-RPC message page code sent or received, as its protocol view recorded them. */
async function wireLog(page: Page): Promise<string> {
  return page.evaluate(() => {
    const app = document.querySelector('keyhole-app');
    const cards = Array.from(app?.shadowRoot?.querySelectorAll('server-card') ?? []) as unknown as { wire: { entries: unknown[] } }[];
    return JSON.stringify(cards.map((c) => c.wire.entries));
  });
}

/** Everything else of the page's own state a script could read. */
async function pageState(page: Page): Promise<string> {
  return page.evaluate(() =>
    JSON.stringify({
      local: Object.entries(localStorage),
      session: Object.entries(sessionStorage),
      cookie: document.cookie,
      url: location.href,
      referrer: document.referrer,
      name: window.name,
      historyLength: history.length,
      historyState: history.state as unknown,
      navigation: performance.getEntriesByType('navigation').map((e) => e.name),
      resources: performance.getEntriesByType('resource').map((e) => e.name),
    }),
  );
}

/** The tab's session history as the browser keeps it (every entry, not only the current one). */
async function historyEntries(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const { entries } = await cdp.send('Page.getNavigationHistory');
  await cdp.detach();
  return entries.map((e) => `${e.url} ${e.userTypedURL} ${e.title}`);
}

interface Capture {
  seen: { where: string; text: string }[];
  /** The worker's own network traffic: the control that the secrets are findable at all. */
  worker: string[];
  /** Page-readable responses whose body could not be captured (must stay empty). */
  unread: string[];
  /**
   * Event streams still open when the test ended (a `subscriptions/listen` stream lives as long
   * as its session): Playwright cannot read an unfinished body, so what they carried to page code
   * is captured from the page's protocol record instead (`wireLog`), checked below.
   */
  openStreams: string[];
  pending: Promise<unknown>[];
}

/** Attaches the page-side capture to one tab. */
async function watchPage(page: Page, cap: Capture, appOrigin: string): Promise<void> {
  const note = (where: string, text: string) => cap.seen.push({ where, text });
  await page.exposeFunction('__custodyRecord', (source: string, text: string) => note(`message via ${source}`, text));
  await page.addInitScript(recordMessages);
  page.on('console', (m) => note('console', `${m.type()} ${m.text()} ${JSON.stringify(m.location())}`));
  page.on('pageerror', (e) => note('pageerror', `${e.message}\n${e.stack ?? ''}`));
  page.on('framenavigated', (f) => note('committed URL', f.url()));
  page.on('request', (r: Request) => {
    // What page code sent: its fetches (MCP requests before the worker adds anything, demo.json).
    // Navigations are followed by the browser, not sent by page code, so they are covered by the
    // committed URLs and the history instead.
    if (r.isNavigationRequest()) return;
    note('page request', `${r.method()} ${r.url()} ${JSON.stringify(r.headers())} ${r.postData() ?? ''}`);
  });
  page.on('response', (r: Response) => {
    // What page code can read: answers to its own requests (including those the worker made up or
    // passed through) and the app documents it lands on. Redirect responses and other origins'
    // documents met during navigation (the authorization server's pages) are not readable by it.
    const req = r.request();
    if (req.isNavigationRequest() && ((r.status() >= 300 && r.status() < 400) || new URL(r.url()).origin !== appOrigin)) return;
    const where = r.fromServiceWorker() ? 'response via worker' : 'response';
    note(`${where} headers`, `${r.status()} ${r.url()} ${JSON.stringify(r.headers())}`);
    const stream = (r.headers()['content-type'] ?? '').includes('text/event-stream');
    const listen = stream && (req.method() === 'GET' || /"method":"subscriptions\/listen"/.test(req.postData() ?? ''));
    cap.pending.push(
      r.text().then(
        (t) => note(`${where} body`, `${r.url()} ${t}`),
        (e: Error) => (listen ? cap.openStreams : cap.unread).push(`${req.method()} ${r.url()}: ${e.message.split('\n')[0]}`),
      ),
    );
  });
}

/**
 * The worker's own traffic, captured the same way as the page's: the control that the secrets are
 * strings this capture finds. Requests (headers, bodies) are recorded as they leave; response
 * bodies only as far as the browser keeps them for a worker's request (not always).
 */
function watchWorker(context: BrowserContext, cap: Capture): void {
  context.on('request', (r) => {
    if (r.serviceWorker()) cap.worker.push(`${r.method()} ${r.url()} ${JSON.stringify(r.headers())} ${r.postData() ?? ''}`);
  });
  context.on('requestfinished', (r) => {
    if (!r.serviceWorker() || r.method() === 'OPTIONS') return;
    cap.pending.push(r.response().then((res) => res?.text()).then((t) => cap.worker.push(`${r.url()} ${t}`), () => {}));
  });
}

for (const { kind, bearerOnly } of [
  { kind: 'Bearer', bearerOnly: true },
  { kind: 'DPoP', bearerOnly: false },
]) {
  test.describe(`${kind} tokens`, () => {
    test.use({ bearerOnly });

    test('no token, refresh token, code or verifier ever reaches page code', async ({ page, context, env }) => {
      const cap: Capture = { seen: [], worker: [], unread: [], openStreams: [], pending: [] };
      const note = (where: string, text: string) => cap.seen.push({ where, text });
      watchWorker(context, cap);
      await watchPage(page, cap, env.appOrigin);
      const snapshot = async (p: Page, label: string) => {
        note(`DOM ${label}`, await fullDom(p));
        note(`wire log ${label}`, await wireLog(p));
        note(`page state ${label}`, await pageState(p));
        note(`history ${label}`, (await historyEntries(p)).join('\n'));
        note(`cookies ${label}`, JSON.stringify(await context.cookies()));
      };

      const url = env.stack.mcp.url;
      const c = card(page, url);
      await connect(page, env, { keepSignedIn: true });
      await snapshot(page, 'after connect');
      await expect(await callTool(page, env, 'echo', { text: 'custody-canary' })).toHaveText('custody-canary');
      await expect(await callTool(page, env, 'slow-count', { steps: 2, delayMs: 50 })).toHaveText('Counted to 2');
      await snapshot(page, 'after calls');

      // Step-up: a second authorization and a second set of tokens.
      await (await openTool(c, 'admin-report')).getByRole('button', { name: 'Call admin-report', exact: true }).click();
      await expectState(page, url, 'needs-authorization');
      await snapshot(page, 'waiting for step-up');
      await c.getByRole('button', { name: 'Authorize' }).click();
      await expectState(page, url, 'connected');
      await expect(c.locator('output[data-tool-result="admin-report"]')).toHaveAttribute('data-state', 'ok');
      await snapshot(page, 'after step-up');

      await page.reload();
      await expectState(page, url, 'connected');
      await expect(await callTool(page, env, 'add', { a: 20, b: 22 })).toContainText('42');
      await snapshot(page, 'after reload');

      const tab = await context.newPage();
      await watchPage(tab, cap, env.appOrigin);
      await tab.goto(env.appUrl);
      await expectState(tab, url, 'connected');
      await expect(await callTool(tab, env, 'echo', { text: 'second-tab-canary' })).toHaveText('second-tab-canary');
      await snapshot(tab, 'second tab');
      await tab.close();

      await c.getByRole('button', { name: 'Disconnect' }).click();
      await expectState(page, url, 'disconnected');
      await snapshot(page, 'after disconnect');
      await Promise.all(cap.pending);

      const secrets: string[] = env.stack.auth.secrets();
      const used = env.stack.mcp.authorizations.map((h: string) => h.replace(/^\S+\s+/, ''));
      const all = (prefix: string) => cap.seen.filter((s) => s.where.startsWith(prefix));

      // Control 1: the capture saw what the page legitimately gets, and every body it could read.
      expect(cap.unread, 'page-readable response bodies the capture missed').toEqual([]);
      // Open event streams are covered by the protocol record: it holds what they delivered.
      if (cap.openStreams.length) {
        expect(all('wire log').some((s) => s.text.includes('notifications/subscriptions/acknowledged')), 'stream messages in the wire log').toBe(true);
      }
      expect(all('wire log').some((s) => s.text.includes('custody-canary')), 'tool calls in the wire log').toBe(true);
      expect(all('DOM').some((s) => s.text.includes('custody-canary'))).toBe(true);
      expect(all('DOM').some((s) => s.text.includes('second-tab-canary'))).toBe(true);
      const fromWorker = all('response via worker body');
      expect(fromWorker.filter((s) => s.text.includes('custody-canary')).length, 'MCP answers read through the worker').toBeGreaterThan(0);
      expect(fromWorker.filter((s) => s.text.includes('Counted to 2')).length).toBeGreaterThan(0);
      expect(all('page request').filter((s) => s.text.startsWith(`POST ${url}`)).length, 'MCP requests by the page').toBeGreaterThanOrEqual(8);
      const broadcasts = all('message via serviceWorker').filter((s) => s.text.includes('"type":"keyhole:views"'));
      const replies = all('message via port').filter((s) => s.text.startsWith('{"ok":'));
      expect(broadcasts.length, 'view broadcasts from the worker').toBeGreaterThanOrEqual(5);
      expect(replies.length, 'command replies from the worker (MessageChannel)').toBeGreaterThanOrEqual(5);
      const committed = all('committed URL').map((s) => s.text);
      // Start, two returns from the authorization server, the reload, the second tab.
      expect(committed.filter((u) => u.startsWith(env.appUrl)).length, 'app documents committed').toBeGreaterThanOrEqual(5);
      expect(all('history').at(-1)!.text.split('\n').length, 'session history entries').toBeGreaterThanOrEqual(3);

      // Control 2: the secrets are real and findable. Two authorizations give at least two codes,
      // two verifiers and two access tokens; the MCP server got access tokens from that set; and
      // the worker's own traffic, captured the same way as the page's, contains them.
      expect(secrets.length).toBeGreaterThanOrEqual(6);
      for (const s of secrets) expect(s.length).toBeGreaterThanOrEqual(16);
      expect(used.length).toBeGreaterThan(0);
      expect(secrets).toEqual(expect.arrayContaining(used));
      // Each code, verifier and access token leaves the worker in a request (token request, MCP
      // calls); each refresh token in a token response and, for the one held at disconnect, in the
      // revocation request. So at most the refresh token the step-up replaced may be missing here.
      const workerText = cap.worker.join('\n');
      const unseen = secrets.filter((s) => !workerText.includes(s));
      expect(unseen.length, 'secrets absent from the worker’s own traffic').toBeLessThanOrEqual(1);
      for (const s of unseen) expect(used).not.toContain(s);

      // The claim: the redirect URI, which carries the code, never became a document (the worker
      // answered it with a 303), and none of the secrets reached page code.
      expect(committed.filter((u) => u.includes('callback.html'))).toEqual([]);

      for (const secret of secrets) {
        const leaks = cap.seen.filter((s) => s.text.includes(secret)).map((s) => s.where);
        expect(leaks, `secret ${secret.slice(0, 4)}… issued or received by the AS showed up in page-visible places`).toEqual([]);
      }
    });
  });
}
