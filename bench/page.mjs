// Functions that run inside a browser page (through page.evaluate), the same code in the app's
// page (controlled by the worker, no token: the worker adds Authorization) and in the baseline
// page (another origin, not controlled, carrying the token itself). Each is self-contained:
// Playwright sends its source text to the page.
//
// Requests are SDK-free MCP 2026-07-28 (stateless) JSON-RPC POSTs with the headers and `_meta`
// envelope the official SDK client sends.

/**
 * N `tools/call echo` with at most `concurrency` in flight. Every answer is read as the app's page
 * reads what reaches it through a fetch event (src/app/limited-fetch.ts, body-read.ts): chunk by
 * chunk, then decoded once for the parse. With `limited`, the chunks are also counted up to 16 MB:
 * that bound is part of what the fetch-event path costs, so the worker's row pays it; the floors
 * (bare interception, direct) read the same way without it.
 * @param {{ url: string, token?: string, n: number, concurrency: number, idBase: number, limited?: boolean }} a
 */
export async function echoBatch({ url, token, n, concurrency, idBase, limited = false }) {
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': 'tools/call',
    'mcp-name': 'echo',
  };
  if (token) headers.authorization = `Bearer ${token}`;
  const meta = {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientInfo': { name: 'keyhole-bench', version: '0' },
    'io.modelcontextprotocol/clientCapabilities': {},
  };
  const lat = new Array(n).fill(NaN);
  let errors = 0;
  let firstError;
  let next = 0;
  const decoder = new TextDecoder();
  const read = async (res) => {
    const reader = res.body.getReader();
    const chunks = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (limited && size > 16 * 1024 * 1024) {
        void reader.cancel();
        throw new Error('answer over 16 MB');
      }
      chunks.push(value);
    }
    return decoder.decode(chunks.length === 1 ? chunks[0] : await new Blob(chunks).arrayBuffer());
  };
  const one = async (i) => {
    const text = `ping ${idBase + i}`;
    const body = JSON.stringify({ jsonrpc: '2.0', id: idBase + i, method: 'tools/call', params: { name: 'echo', arguments: { text }, _meta: meta } });
    const t0 = performance.now();
    try {
      const res = await fetch(url, { method: 'POST', headers, body });
      const got = await read(res);
      lat[i] = performance.now() - t0;
      if (res.status !== 200 || !got.includes(text)) {
        errors++;
        firstError ??= `HTTP ${res.status}: ${got.slice(0, 200)}`;
      }
    } catch (err) {
      errors++;
      firstError ??= String(err);
    }
  };
  const lane = async () => {
    while (next < n) await one(next++);
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
  return { lat, elapsed: performance.now() - start, errors, firstError };
}

/**
 * `tools/call slow-count` with a progress token; wall-clock arrival time of every progress
 * event as the page's reader gets it.
 * @param {{ url: string, token?: string, steps: number, delayMs: number, progressToken: string, id: number }} a
 */
export async function slowCount({ url, token, steps, delayMs, progressToken, id }) {
  const now = () => performance.timeOrigin + performance.now();
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': 'tools/call',
    'mcp-name': 'slow-count',
  };
  if (token) headers.authorization = `Bearer ${token}`;
  const meta = {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientInfo': { name: 'keyhole-bench', version: '0' },
    'io.modelcontextprotocol/clientCapabilities': {},
    progressToken,
  };
  const body = JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'slow-count', arguments: { steps, delayMs }, _meta: meta } });
  const start = now();
  const res = await fetch(url, { method: 'POST', headers, body });
  const headersAt = now();
  const arrivals = [];
  let result = false;
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    const t = now();
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buf.indexOf('\n\n')) >= 0) {
      const event = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      const data = event
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trim())
        .join('\n');
      if (!data) continue;
      const msg = JSON.parse(data);
      if (msg.method === 'notifications/progress') arrivals.push([msg.params.progress, t]);
      else if (msg.result) result = true;
    }
  }
  return { status: res.status, contentType: res.headers.get('content-type'), start, headersAt, end: now(), arrivals, result };
}

/**
 * A burst of `count` echo calls all started at the wall-clock instant `fireAt`, as one tab's
 * share of a burst spread over several tabs.
 * @param {{ url: string, token?: string, count: number, fireAt: number, idBase: number }} a
 */
export async function burst({ url, token, count, fireAt, idBase }) {
  const now = () => performance.timeOrigin + performance.now();
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': 'tools/call',
    'mcp-name': 'echo',
  };
  if (token) headers.authorization = `Bearer ${token}`;
  const meta = {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientInfo': { name: 'keyhole-bench', version: '0' },
    'io.modelcontextprotocol/clientCapabilities': {},
  };
  while (fireAt - now() > 6) await new Promise((r) => setTimeout(r, 2));
  while (now() < fireAt) {
    /* spin the last few ms */
  }
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const text = `burst ${idBase + i}`;
      const body = JSON.stringify({ jsonrpc: '2.0', id: idBase + i, method: 'tools/call', params: { name: 'echo', arguments: { text }, _meta: meta } });
      const start = now();
      try {
        const res = await fetch(url, { method: 'POST', headers, body });
        const got = await res.text();
        return { ok: res.status === 200 && got.includes(text), status: res.status, start, end: now() };
      } catch (err) {
        return { ok: false, status: 0, error: String(err), start, end: now() };
      }
    }),
  );
}

/** The page's wall clock. */
export function pageNow() {
  return performance.timeOrigin + performance.now();
}

// ---- predicates on the app's UI (Lit components, open shadow roots) ----

/** The add form's Connect button is enabled: the worker controls the page and answered. */
export function appReady() {
  const app = document.querySelector('keyhole-app');
  const button = app?.shadowRoot?.querySelector('keyhole-sidebar')?.shadowRoot?.querySelector('details.add button[type="submit"]');
  return button && !button.disabled ? performance.timeOrigin + performance.now() : false;
}

/** The card of `serverUrl` lists its tools (session open, tools/list answered). */
export function toolsListed(serverUrl) {
  const app = document.querySelector('keyhole-app');
  const card = [...(app?.shadowRoot?.querySelectorAll('server-card') ?? [])].find((c) => c.dataset.key === serverUrl);
  const list = card?.shadowRoot?.querySelector('tools-panel')?.shadowRoot?.querySelector('item-list');
  return list?.shadowRoot?.querySelector('[role="option"][data-key="echo"]') ? performance.timeOrigin + performance.now() : false;
}

/** The card of `serverUrl` is in `state` (its `data-state`). */
export function cardState({ serverUrl, state }) {
  const app = document.querySelector('keyhole-app');
  const card = [...(app?.shadowRoot?.querySelectorAll('server-card') ?? [])].find((c) => c.dataset.key === serverUrl);
  return card?.dataset.state === state ? performance.timeOrigin + performance.now() : false;
}

/** The worker's view of `serverUrl` as the card holds it (token-free by design). */
export function cardView(serverUrl) {
  const app = document.querySelector('keyhole-app');
  const card = [...(app?.shadowRoot?.querySelectorAll('server-card') ?? [])].find((c) => c.dataset.key === serverUrl);
  const v = card?.view;
  return v ? { state: v.state, expiresAt: v.expiresAt, canRefresh: v.canRefresh, keepSignedIn: v.keepSignedIn } : undefined;
}

/**
 * The worker's current view of `serverUrl`, asked for now (a `status` command through the app's
 * own bridge): the card's copy can be stale, since a silent refresh broadcasts nothing.
 */
export async function freshView(serverUrl) {
  const app = document.querySelector('keyhole-app');
  const result = await app.bridge.send({ type: 'status' });
  const v = result.views.find((x) => x.serverUrl === serverUrl);
  return v ? { state: v.state, expiresAt: v.expiresAt, canRefresh: v.canRefresh, keepSignedIn: v.keepSignedIn } : undefined;
}

/** JS and CSS this document fetched from its own origin (Resource Timing). */
export function ownAssets() {
  return performance
    .getEntriesByType('resource')
    .filter((e) => e.name.startsWith(location.origin))
    .map((e) => ({ url: e.name, initiator: e.initiatorType, transferSize: e.transferSize, encodedBodySize: e.encodedBodySize }));
}
