/**
 * The sandbox proxy of MCP Apps (SEP-1865, "Sandbox proxy"): this page lives on its own origin,
 * never Keyhole's, so it is never controlled by Keyhole's service worker and can read none of
 * Keyhole's storage. Keyhole frames it; it frames the app's HTML in a second iframe that has only
 * `allow-scripts` (an opaque origin: the app cannot read this page, its storage or its parent, and
 * cannot navigate the top window or open popups), under the policy built from `_meta.ui.csp`.
 *
 * It relays JSON-RPC between Keyhole and the app, and nothing else: messages only from Keyhole's
 * origin in one direction and only from the app's frame in the other; `ui/notifications/sandbox-*`
 * are never relayed (the app cannot load another document here).
 */
import { buildAppCsp, withPolicy } from '../src/app/apps/app-csp.ts';

declare const __KEYHOLE_HOST_ORIGIN__: string;

const PROXY_READY = 'ui/notifications/sandbox-proxy-ready';
const RESOURCE_READY = 'ui/notifications/sandbox-resource-ready';

/**
 * The one origin allowed to drive this proxy: fixed at build time when Keyhole's public URL is
 * known, else the `host` parameter Keyhole put in this page's URL (development, loopback). Where the
 * browser tells who framed us (`location.ancestorOrigins`, where not masked), it must agree.
 */
function hostOrigin(): string | undefined {
  const declared = __KEYHOLE_HOST_ORIGIN__ || new URLSearchParams(location.search).get('host') || '';
  let origin: string;
  try {
    origin = new URL(declared).origin;
  } catch {
    return undefined;
  }
  if (origin === location.origin) return undefined;
  const framedBy = (location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins?.[0];
  // "null" is an ancestor the browser hides, not another one: Firefox (153) masks the origin of a
  // parent whose iframe has referrerpolicy="no-referrer", as Keyhole's has. Unknown, not a
  // mismatch; messages are still taken only from `origin` and sent only to it.
  if (framedBy !== undefined && framedBy !== 'null' && framedBy !== origin) return undefined;
  return origin;
}

function isMessage(data: unknown): data is { jsonrpc: '2.0'; method?: unknown; params?: unknown } {
  return typeof data === 'object' && data !== null && (data as { jsonrpc?: unknown }).jsonrpc === '2.0';
}

function start(host: string): void {
  const inner = document.createElement('iframe');
  // Never loosened by the host's `sandbox` parameter: no allow-same-origin (the app would share
  // this origin), no allow-top-navigation, no allow-popups, no allow-forms.
  inner.setAttribute('sandbox', 'allow-scripts');
  inner.setAttribute('title', 'MCP App');
  inner.setAttribute('referrerpolicy', 'no-referrer');
  let loaded = false;

  window.addEventListener('message', (event) => {
    if (!isMessage(event.data)) return;
    const method = typeof event.data.method === 'string' ? event.data.method : '';
    if (event.source === window.parent && event.origin === host) {
      if (method === RESOURCE_READY) {
        if (loaded) return; // One app per proxy: a second document is never loaded here.
        const params = (event.data.params ?? {}) as { html?: unknown; csp?: Parameters<typeof buildAppCsp>[0] };
        if (typeof params.html !== 'string') return;
        loaded = true;
        inner.srcdoc = withPolicy(params.html, buildAppCsp(params.csp).policy);
        document.body.append(inner);
        return;
      }
      if (method.startsWith('ui/notifications/sandbox-')) return;
      // The app's document has an opaque origin, which no target origin but '*' can name; only
      // this proxy's own child frame receives it.
      inner.contentWindow?.postMessage(event.data, '*');
      return;
    }
    if (loaded && event.source === inner.contentWindow) {
      if (method.startsWith('ui/notifications/sandbox-')) return;
      window.parent.postMessage(event.data, host);
    }
    // Anything else (another frame, another origin) is dropped.
  });

  window.parent.postMessage({ jsonrpc: '2.0', method: PROXY_READY, params: {} }, host);
}

const host = window.parent !== window ? hostOrigin() : undefined;
if (host) start(host);
else document.body.textContent = 'This page runs MCP Apps for Keyhole, inside Keyhole only.';
