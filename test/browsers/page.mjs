// What the suite does inside the page, the same in every engine: find elements through shadow roots,
// type, read, and read everything page code can see (the custody check). Each export is a
// self-contained function (its source is sent to the browser, not its closure).

/**
 * The deep query the other functions embed. A step is CSS, optionally ending in `:text(…)` (the
 * element's trimmed text or aria-label equals it), `:starts(…)` (begins with it) or `:label(…)` (a
 * form field whose label says it). Each step is looked for through every shadow root inside the
 * element the previous step found; visible matches win over hidden ones.
 */
const DEEP = String.raw`
function deepAll(root, css) {
  const out = [];
  const visit = (node) => {
    for (const el of node.querySelectorAll('*')) {
      if (el.matches(css)) out.push(el);
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  if (root.shadowRoot) visit(root.shadowRoot);
  visit(root);
  return out;
}
function deepText(node) {
  let t = '';
  for (const c of (node.shadowRoot || node).childNodes) {
    if (c.nodeType === 3) t += c.data;
    else if (c.nodeType === 1 && !['STYLE', 'SCRIPT', 'TEMPLATE'].includes(c.tagName)) t += ' ' + deepText(c);
  }
  return t;
}
function name(el) {
  return (el.getAttribute('aria-label') || el.textContent || '').replace(/\s+/g, ' ').trim();
}
function matchStep(step) {
  const m = /^(.*?):(text|starts|label)\((.*)\)$/.exec(step);
  if (!m) return { css: step, ok: () => true };
  const [, css, kind, want] = m;
  const ok =
    kind === 'text' ? (el) => name(el) === want
    : kind === 'starts' ? (el) => name(el).startsWith(want)
    : (el) => Array.from(el.labels || []).some((l) => name(l) === want) || el.getAttribute('aria-label') === want;
  return { css: css || '*', ok };
}
function find(steps) {
  let here = document;
  for (const step of steps) {
    const { css, ok } = matchStep(step);
    const all = deepAll(here, css).filter(ok);
    const shown = all.filter((el) => el.getClientRects().length > 0);
    here = shown[0] || all[0];
    if (!here) return null;
  }
  return here === document ? null : here;
}
`;

// The page functions are built from source on purpose: they run in the browser, with DEEP inlined.
/** @type {(steps: string[]) => Element | null} */
export const findElement = new Function('steps', `${DEEP}\nreturn find(steps);`);

/** @type {(steps: string[]) => { found: boolean, text?: string, attrs?: Record<string, string>, checked?: boolean, value?: string }} */
export const describeElement = new Function(
  'steps',
  `${DEEP}
  const el = find(steps);
  if (!el) return { found: false };
  const attrs = {};
  for (const a of el.attributes) attrs[a.name] = a.value;
  return { found: true, text: deepText(el).replace(/\\s+/g, ' ').trim(), attrs, checked: !!el.checked, value: 'value' in el ? String(el.value) : undefined };`,
);

/** Sets a field's value as typing would end (input and change events), for Lit's listeners and FormData alike. */
/** @type {(steps: string[], value: string) => boolean} */
export const fillElement = new Function(
  'steps',
  'value',
  `${DEEP}
  const el = find(steps);
  if (!el) return false;
  el.focus();
  const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, value);
  el.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
  return true;`,
);

/**
 * Everything page code can read, as text: the DOM with every shadow root and field value, the
 * protocol record of each card, page storage, cookies, the URL and history, performance entries,
 * every IndexedDB database of the origin (CryptoKeys described, not exported), and the Cache
 * Storage's request URLs. The custody check searches this for the secrets the AS issued.
 */
export async function pageReadable() {
  const parts = /** @type {Record<string, unknown>} */ ({});
  const dom = [document.title];
  const walk = (/** @type {Document | ShadowRoot} */ root) => {
    dom.push(root instanceof Document ? root.documentElement.outerHTML : root.innerHTML);
    for (const el of Array.from(root.querySelectorAll('*'))) {
      if (el.shadowRoot) walk(el.shadowRoot);
      if (el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement || el instanceof HTMLOutputElement) dom.push(el.value);
    }
  };
  walk(document);
  parts.dom = dom.join('\n');
  const app = document.querySelector('keyhole-app');
  const cards = /** @type {{ wire?: { entries: unknown[] } }[]} */ (/** @type {unknown} */ (Array.from(app?.shadowRoot?.querySelectorAll('server-card') ?? [])));
  parts.wire = cards.map((c) => c.wire?.entries ?? []);
  parts.local = Object.entries(localStorage);
  parts.session = Object.entries(sessionStorage);
  parts.cookie = document.cookie;
  parts.url = location.href;
  parts.referrer = document.referrer;
  parts.windowName = window.name;
  parts.history = { length: history.length, state: history.state };
  parts.navigation = performance.getEntriesByType('navigation').map((e) => e.name);
  parts.resources = performance.getEntriesByType('resource').map((e) => e.name);
  const describe = (/** @type {unknown} */ v) =>
    JSON.stringify(v, (_k, x) => {
      if (typeof CryptoKey !== 'undefined' && x instanceof CryptoKey) return { CryptoKey: { type: x.type, extractable: x.extractable, algorithm: x.algorithm, usages: x.usages } };
      if (x instanceof ArrayBuffer) return { ArrayBuffer: Array.from(new Uint8Array(x)) };
      if (ArrayBuffer.isView(x)) return { bytes: Array.from(new Uint8Array(x.buffer, x.byteOffset, x.byteLength)) };
      return x;
    });
  const names = indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name) : ['keyhole'];
  const idb = /** @type {Record<string, Record<string, string>>} */ ({});
  for (const name of names) {
    if (!name) continue;
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open(name);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    idb[name] = {};
    for (const store of Array.from(/** @type {IDBDatabase} */ (db).objectStoreNames)) {
      const rows = await new Promise((resolve, reject) => {
        const req = /** @type {IDBDatabase} */ (db).transaction(store).objectStore(store).getAll();
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      idb[name][store] = describe(rows);
    }
    /** @type {IDBDatabase} */ (db).close();
  }
  parts.indexedDB = idb;
  const cached = [];
  if (typeof caches !== 'undefined') {
    for (const key of await caches.keys()) {
      const cache = await caches.open(key);
      for (const req of await cache.keys()) cached.push(req.url);
    }
  }
  parts.caches = cached;
  return JSON.stringify(parts);
}

/**
 * The DPoP keys in the worker's store, as page code finds them: each must be a CryptoKey pair
 * whose private key is not extractable, and exporting it must fail.
 */
export async function dpopKeys() {
  const db = await new Promise((resolve, reject) => {
    const req = indexedDB.open('keyhole');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const idb = /** @type {IDBDatabase} */ (db);
  if (!Array.from(idb.objectStoreNames).includes('dpopKeys')) return { stored: 0, keys: [] };
  const rows = /** @type {{ keyPair?: CryptoKeyPair }[]} */ (
    await new Promise((resolve, reject) => {
      const req = idb.transaction('dpopKeys').objectStore('dpopKeys').getAll();
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    })
  );
  idb.close();
  const keys = [];
  for (const row of rows) {
    const priv = row.keyPair?.privateKey;
    let exported = 'not a CryptoKey';
    if (priv instanceof CryptoKey) {
      exported = await crypto.subtle.exportKey('jwk', priv).then(
        () => 'exported',
        (/** @type {Error} */ e) => `refused: ${e.name}`,
      );
    }
    keys.push({
      isCryptoKey: priv instanceof CryptoKey,
      extractable: priv?.extractable,
      algorithm: /** @type {{ name?: string, namedCurve?: string }} */ (priv?.algorithm ?? {}),
      exported,
    });
  }
  return { stored: rows.length, keys };
}

/** What the engine offers of what the design needs (the gaps docs/browsers.md lists). */
export function engineFeatures() {
  return {
    userAgent: navigator.userAgent,
    secureContext: isSecureContext,
    serviceWorker: 'serviceWorker' in navigator,
    controlled: !!navigator.serviceWorker?.controller,
    locks: 'locks' in navigator,
    trustedTypes: 'trustedTypes' in window,
    indexedDBDatabases: typeof indexedDB.databases === 'function',
    transferableStreams: (() => {
      try {
        const { port1 } = new MessageChannel();
        const rs = new ReadableStream();
        port1.postMessage(rs, [/** @type {any} */ (rs)]);
        port1.close();
        return true;
      } catch {
        return false;
      }
    })(),
  };
}

/**
 * Whether the page's Content Security Policy holds in this engine: no eval (no 'unsafe-eval') and,
 * where the engine has Trusted Types, no string reaching an HTML sink (require-trusted-types-for).
 */
export function policyEnforced() {
  const attempt = (/** @type {() => void} */ f) => {
    try {
      f();
      return 'allowed';
    } catch (e) {
      return `blocked (${/** @type {Error} */ (e).name})`;
    }
  };
  return {
    trustedTypes: 'trustedTypes' in window,
    evalString: attempt(() => (0, eval)('1')),
    htmlSink: attempt(() => {
      document.createElement('div').innerHTML = '<b>x</b>';
    }),
  };
}

/**
 * Everything a frame's own code can read of its document and origin (the MCP Apps sandbox proxy, or
 * the app inside it): its DOM, URL, name and referrer, storage and cookies where its origin has
 * any (an app's opaque origin has none: the reads throw), the IndexedDB databases of its origin,
 * and whether a service worker controls it.
 */
export async function frameReadable() {
  const read = async (/** @type {() => unknown} */ f) => {
    try {
      return await f();
    } catch (e) {
      return `unreadable (${/** @type {Error} */ (e).name})`;
    }
  };
  return {
    origin: self.origin,
    url: location.href,
    name: window.name,
    referrer: document.referrer,
    dom: document.documentElement.outerHTML,
    local: await read(() => Object.entries(localStorage)),
    session: await read(() => Object.entries(sessionStorage)),
    cookie: await read(() => document.cookie),
    indexedDB: await read(async () => (indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name) : 'no databases()')),
    controlled: await read(() => !!navigator.serviceWorker?.controller),
  };
}

/**
 * The MCP transport the app chose (`data-mcp-transport`, src/app/port-fetch.ts) and whether this
 * engine can transfer a ReadableStream, which the port transport needs.
 */
export function mcpTransport() {
  let transferable = true;
  try {
    const { port1 } = new MessageChannel();
    const stream = new ReadableStream();
    port1.postMessage(stream, [stream]);
    port1.close();
  } catch {
    transferable = false;
  }
  return { transport: document.documentElement.dataset.mcpTransport ?? 'none', transferable };
}
