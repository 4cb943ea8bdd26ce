// Runs in the app's page (through page.evaluate): the same `tools/call echo` batch as
// page.mjs's echoBatch, sent over the port transport (src/app/port-fetch.ts) instead of fetch.
// Self-contained, as Playwright sends its source text: it speaks the protocol.ts messages
// `PortFetchRequest` / `PortFetchAnswer` itself, as port-fetch.ts does.

/**
 * @param {{ url: string, n: number, concurrency: number, idBase: number }} a
 */
export async function portEchoBatch({ url, n, concurrency, idBase }) {
  const worker = navigator.serviceWorker.controller;
  if (!worker) throw new Error('the page has no controlling service worker');
  const headers = [
    ['content-type', 'application/json'],
    ['accept', 'application/json, text/event-stream'],
    ['mcp-protocol-version', '2026-07-28'],
    ['mcp-method', 'tools/call'],
    ['mcp-name', 'echo'],
  ];
  const meta = {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientInfo': { name: 'keyhole-bench', version: '0' },
    'io.modelcontextprotocol/clientCapabilities': {},
  };
  const enc = new TextEncoder();
  // As port-fetch.ts: each request counts against the worker life the worker names in its
  // `accepted` message (a Web Lock waited on once per life), and a copy of the body is sent so
  // the original stays for a second attempt.
  const owed = new Map();
  const owedBy = (life, fail) => {
    let debts = owed.get(life);
    if (!debts) {
      debts = new Set();
      owed.set(life, debts);
      const mine = debts;
      void navigator.locks.request(life, () => {
        owed.delete(life);
        for (const f of mine) f(new TypeError('the service worker stopped'));
      });
    }
    debts.add(fail);
    const mine = debts;
    return () => void mine.delete(fail);
  };
  const decoder = new TextDecoder();
  const send = (body) =>
    new Promise((resolve, reject) => {
      const { port1, port2 } = new MessageChannel();
      let forget = () => {};
      port1.onmessage = (e) => {
        const a = e.data;
        if (a.type === 'accepted') {
          forget = owedBy(a.life, reject);
          return;
        }
        forget();
        if (a.type !== 'response') return reject(new Error(`port answer ${a.type}: ${a.message ?? ''}`));
        // As src/app/port-fetch.ts: a Response of the buffer, whose text is then the buffer decoded (body-read.ts).
        const res = new Response(a.body, { status: a.status, statusText: a.statusText, headers: a.headers });
        resolve({ status: res.status, text: () => decoder.decode(a.body) });
      };
      const original = enc.encode(body).buffer;
      const buf = original.slice(0);
      worker.postMessage({ type: 'keyhole:fetch', url, method: 'POST', headers, body: buf }, [port2, buf]);
    });
  const lat = new Array(n).fill(NaN);
  let errors = 0;
  let firstError;
  let next = 0;
  const one = async (i) => {
    const text = `ping ${idBase + i}`;
    const body = JSON.stringify({ jsonrpc: '2.0', id: idBase + i, method: 'tools/call', params: { name: 'echo', arguments: { text }, _meta: meta } });
    const t0 = performance.now();
    try {
      const res = await send(body);
      const got = await res.text();
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
