/**
 * The custody capture shared by the custody specs: everything page code, and the code of every
 * frame the page holds (the MCP Apps sandbox proxy and the app inside it), can see during a run:
 * committed URLs, history, the DOM (shadow roots and form values included), storage, cookies, every
 * message received (from the worker, from other frames), the requests page code made and the
 * responses it could read, and the console. And, as the control that the secrets are findable at
 * all, the worker's own traffic captured the same way.
 */
import { expect, type BrowserContext, type Frame, type Page, type Request, type Response } from '@playwright/test';

declare global {
  interface Window {
    __custodyRecord?: (key: string, source: string, text: string) => Promise<void>;
    /** Records of this document not yet acknowledged by the test (see recordMessages). */
    __custodyUnsent?: () => number;
  }
}

export interface Capture {
  seen: { where: string; text: string }[];
  /** The worker's own network traffic: the control that the secrets are findable at all. */
  worker: string[];
  /** Page-readable responses whose body could not be captured (must stay empty). */
  unread: string[];
  /**
   * Event streams still open when the test ended (a `subscriptions/listen` stream lives as long
   * as its session): Playwright cannot read an unfinished body, so what they carried to page code
   * is captured from the page's protocol record instead (`wireLog`).
   */
  openStreams: string[];
  pending: Promise<unknown>[];
}

export function newCapture(): Capture {
  return { seen: [], worker: [], unread: [], openStreams: [], pending: [] };
}

export function note(cap: Capture, where: string, text: string): void {
  cap.seen.push({ where, text });
}

/** What was seen at places whose name starts with `prefix`. */
export function seenAt(cap: Capture, prefix: string): { where: string; text: string }[] {
  return cap.seen.filter((s) => s.where.startsWith(prefix));
}

/**
 * Installed before any script of every document, in every frame (the sandbox proxy and the app's
 * srcdoc document included): reports every message the document receives. workbox-window's
 * messageSW answers through a MessageChannel port (`onmessage`), the worker's broadcasts arrive on
 * navigator.serviceWorker, frames talk through window messages (MCP Apps' postMessage protocol);
 * BroadcastChannel is recorded too in case anything ever uses it.
 *
 * Each record is sent until the test acknowledges it: Playwright drops a binding call made from a
 * frame's context it has not registered yet (seen with the app's new srcdoc frame, whose first
 * messages went missing), and the call's promise then never settles. Records carry a key (this
 * document, a sequence number) so that a record sent twice counts once.
 */
function recordMessages(): void {
  const doc = `${Date.now()}-${Math.random()}`;
  let sequence = 0;
  const unsent: [string, string, string][] = [];
  let pumping = false;
  const pause = (ms: number) => new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms));
  const pump = async () => {
    if (pumping) return;
    pumping = true;
    while (unsent.length) {
      const [key, source, text] = unsent[0]!;
      const sent = window.__custodyRecord?.(key, source, text).then(() => true, () => false);
      if (sent && (await Promise.race([sent, pause(300)]))) unsent.shift();
      else if (!sent) await pause(50);
    }
    pumping = false;
  };
  window.__custodyUnsent = () => unsent.length;
  const decoder = () => new TextDecoder();
  const record = (source: string, data: unknown) => {
    // The port transport's answers (port-fetch.ts) carry bodies JSON cannot show: a buffer is
    // decoded here, a stream split in two and its copy read to the end (the page gets the other).
    const answer = data as { type?: unknown; body?: unknown } | null;
    if (source === 'port' && answer?.type === 'response') {
      if (answer.body instanceof ArrayBuffer) {
        record('port answer body', decoder().decode(answer.body));
      } else if (answer.body instanceof ReadableStream) {
        const [mine, theirs] = (answer.body as ReadableStream<Uint8Array>).tee();
        answer.body = theirs;
        void new Response(mine).text().then((text) => record('port answer body', text), () => {});
      }
    }
    let text: string;
    try {
      text = typeof data === 'string' ? data : JSON.stringify(data);
    } catch {
      text = String(data);
    }
    unsent.push([`${doc}:${sequence++}`, source, text]);
    void pump();
  };
  try {
    navigator.serviceWorker?.addEventListener('message', (e) => record('serviceWorker', e.data));
  } catch {
    // An opaque origin (the app's sandboxed frame) has no service worker: reading it throws.
  }
  window.addEventListener('message', (e) => record('window', e.data));
  // What page code sends the worker over the port transport: the MCP request it would otherwise
  // have fetched, recorded before its body is transferred away.
  if (typeof ServiceWorker !== 'undefined') {
    const post = ServiceWorker.prototype.postMessage as (this: ServiceWorker, message: unknown, transfer?: unknown) => void;
    ServiceWorker.prototype.postMessage = function (this: ServiceWorker, message: unknown, transfer?: unknown) {
      const m = message as { type?: unknown; url?: string; method?: string; headers?: [string, string][]; body?: ArrayBuffer } | null;
      if (m?.type === 'keyhole:fetch') {
        record('port request', `${m.method} ${m.url} ${JSON.stringify(Object.fromEntries(m.headers ?? []))} ${m.body ? decoder().decode(m.body) : ''}`);
      }
      return post.call(this, message, transfer);
    } as typeof ServiceWorker.prototype.postMessage;
  }
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

/** Names a frame in capture labels: the main document, or a child frame by its URL. */
function frameLabel(frame: Frame): string {
  return frame.parentFrame() ? `frame ${frame.url()}` : 'page';
}

/** The whole DOM of one document, shadow roots and form field values included, as text a script could read. */
export async function fullDom(target: Page | Frame): Promise<string> {
  return target.evaluate(() => {
    const parts: string[] = [document.title];
    const walk = (root: Document | ShadowRoot) => {
      parts.push(root instanceof Document ? root.documentElement.outerHTML : root.innerHTML);
      for (const el of Array.from(root.querySelectorAll('*'))) {
        if (el.shadowRoot) walk(el.shadowRoot);
        if (el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement || el instanceof HTMLOutputElement) parts.push(el.value);
        // An iframe's srcdoc is the child document's source, readable from this one.
        if (el instanceof HTMLIFrameElement) parts.push(el.srcdoc);
      }
    };
    walk(document);
    return parts.join('\n');
  });
}

/** Every JSON-RPC message page code sent or received, as its protocol view recorded them. */
export async function wireLog(page: Page): Promise<string> {
  return page.evaluate(() => {
    const app = document.querySelector('keyhole-app');
    const cards = Array.from(app?.shadowRoot?.querySelectorAll('server-card') ?? []) as unknown as { wire: { entries: unknown[] } }[];
    return JSON.stringify(cards.map((c) => c.wire.entries));
  });
}

/** Everything else of the page's own state a script could read. */
export async function pageState(page: Page): Promise<string> {
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

/**
 * What a child frame's own code can read of its origin and its document's state: web storage,
 * cookies, every IndexedDB database with all its records, the Cache Storage, whether a service
 * worker controls it, its URL, name and referrer. An opaque origin (the app's sandboxed srcdoc)
 * refuses storage with a SecurityError: recorded as such, which is the expected answer there.
 */
export async function frameState(frame: Frame): Promise<string> {
  return frame.evaluate(async () => {
    const attempt = async (read: () => unknown): Promise<unknown> => {
      try {
        return await read();
      } catch (e) {
        return `refused: ${(e as Error).name}`;
      }
    };
    const databases = await attempt(async () => {
      // Chromium denies IndexedDB to an opaque origin, and its databases() then also leaves a
      // stray unhandled rejection in the frame: don't ask where the answer is known.
      if (location.origin === 'null') throw new DOMException('opaque origin', 'SecurityError');
      const out: Record<string, Record<string, unknown[]>> = {};
      for (const { name } of await indexedDB.databases()) {
        if (!name) continue;
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const req = indexedDB.open(name);
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        out[name] = {};
        for (const store of Array.from(db.objectStoreNames)) {
          out[name][store] = await new Promise<unknown[]>((resolve, reject) => {
            const req = db.transaction(store).objectStore(store).getAll();
            req.onsuccess = () => resolve(req.result);
            req.onerror = () => reject(req.error);
          });
        }
        db.close();
      }
      return out;
    });
    const caches = await attempt(async () => {
      const out: Record<string, string[]> = {};
      for (const key of await globalThis.caches.keys()) out[key] = (await (await globalThis.caches.open(key)).keys()).map((r) => r.url);
      return out;
    });
    return JSON.stringify({
      origin: location.origin,
      url: location.href,
      referrer: document.referrer,
      name: window.name,
      local: await attempt(() => Object.entries(localStorage)),
      session: await attempt(() => Object.entries(sessionStorage)),
      cookie: await attempt(() => document.cookie),
      databases,
      caches,
      controlled: await attempt(() => navigator.serviceWorker?.controller?.scriptURL ?? null),
      resources: performance.getEntriesByType('resource').map((e) => e.name),
    });
  });
}

/** The tab's session history as the browser keeps it (every entry, not only the current one). */
export async function historyEntries(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const { entries } = await cdp.send('Page.getNavigationHistory');
  await cdp.detach();
  return entries.map((e) => `${e.url} ${e.userTypedURL} ${e.title}`);
}

/**
 * Attaches the capture to one tab and every frame it will hold. `readableOrigins`: origins whose
 * documents the code that lands on them can read (Keyhole's, the sandbox's); documents of other
 * origins met during navigation (the authorization server's pages) are read by no page code.
 */
export async function watchPage(page: Page, cap: Capture, readableOrigins: string | string[]): Promise<void> {
  const readable = new Set([readableOrigins].flat());
  // A binding with its source: which frame received the message (page.exposeBinding reaches every
  // frame). A record may come twice (recordMessages resends until acknowledged): counted once.
  const received = new Set<string>();
  await page.exposeBinding('__custodyRecord', ({ frame }, key: string, source: string, text: string) => {
    if (received.has(key)) return;
    received.add(key);
    // The port transport's requests and answers count as the page's requests and the answers it
    // reads through the worker, exactly as fetches through the worker do (below).
    if (source === 'port request') note(cap, 'page request', text);
    else if (source === 'port answer body') note(cap, 'response via worker body', text);
    else note(cap, `message via ${source} in ${frameLabel(frame)}`, text);
  });
  await page.addInitScript(recordMessages);
  page.on('console', (m) => note(cap, 'console', `${m.type()} ${m.text()} ${JSON.stringify(m.location())}`));
  page.on('pageerror', (e) => note(cap, 'pageerror', `${e.message}\n${e.stack ?? ''}`));
  page.on('framenavigated', (f) => note(cap, 'committed URL', f.url()));
  page.on('request', (r: Request) => {
    // What page code sent: its fetches (MCP requests before the worker adds anything, demo.json).
    // Navigations are followed by the browser, not sent by page code, so they are covered by the
    // committed URLs and the history instead.
    if (r.isNavigationRequest()) return;
    note(cap, 'page request', `${r.method()} ${r.url()} ${JSON.stringify(r.headers())} ${r.postData() ?? ''}`);
  });
  page.on('response', (r: Response) => {
    // What page code can read: answers to its own requests (including those the worker made up or
    // passed through) and the documents it lands on. Redirect responses and other origins'
    // documents met during navigation (the authorization server's pages) are not readable by it.
    const req = r.request();
    if (req.isNavigationRequest() && ((r.status() >= 300 && r.status() < 400) || !readable.has(new URL(r.url()).origin))) return;
    const where = r.fromServiceWorker() ? 'response via worker' : 'response';
    note(cap, `${where} headers`, `${r.status()} ${r.url()} ${JSON.stringify(r.headers())}`);
    const stream = (r.headers()['content-type'] ?? '').includes('text/event-stream');
    const listen = stream && (req.method() === 'GET' || /"method":"subscriptions\/listen"/.test(req.postData() ?? ''));
    cap.pending.push(
      r.text().then(
        (t) => note(cap, `${where} body`, `${r.url()} ${t}`),
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
export function watchWorker(context: BrowserContext, cap: Capture): void {
  context.on('request', (r) => {
    if (r.serviceWorker()) cap.worker.push(`${r.method()} ${r.url()} ${JSON.stringify(r.headers())} ${r.postData() ?? ''}`);
  });
  context.on('requestfinished', (r) => {
    if (!r.serviceWorker() || r.method() === 'OPTIONS') return;
    cap.pending.push(r.response().then((res) => res?.text()).then((t) => cap.worker.push(`${r.url()} ${t}`), () => {}));
  });
}

/**
 * One snapshot of everything a tab's code can read now: its DOM, protocol record, storage and
 * history, the context's cookies, and each child frame's DOM and state (the Apps sandbox frames).
 */
export async function snapshot(page: Page, cap: Capture, label: string): Promise<void> {
  await recordsDelivered(page);
  note(cap, `DOM ${label}`, await fullDom(page));
  note(cap, `wire log ${label}`, await wireLog(page));
  note(cap, `page state ${label}`, await pageState(page));
  note(cap, `history ${label}`, (await historyEntries(page)).join('\n'));
  note(cap, `cookies ${label}`, JSON.stringify(await page.context().cookies()));
  for (const frame of page.frames()) {
    if (!frame.parentFrame() || frame.isDetached()) continue;
    note(cap, `frame DOM ${label} ${frame.url()}`, await fullDom(frame));
    note(cap, `frame state ${label} ${frame.url()}`, await frameState(frame));
  }
}

/** Waits until every live frame of the tab has delivered the messages it recorded so far. */
export async function recordsDelivered(page: Page): Promise<void> {
  const unsent = async () => {
    let total = 0;
    for (const frame of page.frames()) {
      if (!frame.isDetached()) total += await frame.evaluate(() => window.__custodyUnsent?.() ?? 0).catch(() => 0);
    }
    return total;
  };
  await expect.poll(unsent, { message: 'messages recorded in the frames but not yet delivered', timeout: 10_000 }).toBe(0);
}

/** Where each secret showed up in the capture: one entry per secret found, with the places. */
export function leaks(cap: Capture, secrets: string[]): { secret: string; where: string[] }[] {
  return secrets
    .map((secret) => ({ secret, where: cap.seen.filter((s) => s.text.includes(secret)).map((s) => s.where) }))
    .filter((l) => l.where.length > 0);
}

/**
 * The control that the secrets are real and findable: each is long enough to be unmistakable, the
 * MCP server received access tokens from that set, and the worker's own traffic, captured the same
 * way as the page's, contains them. Each code, verifier and access token leaves the worker in a
 * request; each refresh token in a token response and, for the one held at disconnect, in the
 * revocation request; so at most one refresh token (one a step-up replaced) may be missing there,
 * and never one the server used.
 */
export function expectFindableSecrets(cap: Capture, secrets: string[], used: string[], atLeast: number): void {
  expect(secrets.length).toBeGreaterThanOrEqual(atLeast);
  for (const s of secrets) expect(s.length).toBeGreaterThanOrEqual(16);
  expect(used.length).toBeGreaterThan(0);
  expect(secrets).toEqual(expect.arrayContaining(used));
  const workerText = cap.worker.join('\n');
  const unseen = secrets.filter((s) => !workerText.includes(s));
  expect(unseen.length, 'secrets absent from the worker’s own traffic').toBeLessThanOrEqual(1);
  for (const s of unseen) expect(used).not.toContain(s);
}
