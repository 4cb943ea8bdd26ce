/**
 * The page's end of the port transport (protocol.ts `PortFetchRequest`): a `fetch` for the MCP
 * SDK's transport that hands each request to the worker over a `MessageChannel` rather than
 * letting the browser route it through a fetch event. The worker adds the credentials exactly
 * as for an intercepted request; the page still receives only status, exposed headers and body.
 *
 * Off by default: `?transport=port` turns it on for the tab, `?transport=fetch` off again
 * (npm run bench measures both, side by side). A build made with VITE_KEYHOLE_TRANSPORT=port
 * has it on by default, so the whole e2e suite can run over it (KEYHOLE_DIST).
 *
 * Known gap, why it is not the default: a worker the browser stops while it holds a request
 * never answers it, and Chromium does not fire the port's `close` event then, so the call waits
 * for ever (termination.spec.ts "during refresh" fails over this transport); the fetch-event
 * path gets a network error and the card retries.
 */
import type { PortFetchAbort, PortFetchAnswer, PortFetchRequest } from '../protocol.ts';

const TRANSPORT_KEY = 'keyhole:transport';
/** Statuses whose responses have no body (Fetch §2.2.3 null body status). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** Whether this tab asked for the port transport (remembered for the tab, like `?protocol=`). */
export function portTransportChosen(): boolean {
  const asked = new URLSearchParams(location.search).get('transport');
  if (asked) sessionStorage.setItem(TRANSPORT_KEY, asked);
  const chosen = asked ?? sessionStorage.getItem(TRANSPORT_KEY) ?? (import.meta.env.VITE_KEYHOLE_TRANSPORT as string | undefined);
  return chosen === 'port';
}

let transferable: boolean | undefined;
/** Whether this browser can transfer a ReadableStream (Chromium 87+, Firefox 103+, Safari 14.1+ partly). */
export function streamsTransferable(): boolean {
  if (transferable === undefined) {
    try {
      const { port1 } = new MessageChannel();
      const stream = new ReadableStream();
      port1.postMessage(stream, [stream as unknown as Transferable]);
      port1.close();
      transferable = true;
    } catch {
      transferable = false;
    }
  }
  return transferable;
}

/** The transport option for the SDK: the port fetch when chosen and possible, else the default fetch. */
export function transportFetchOption(): { fetch?: typeof fetch } {
  return portTransportChosen() && streamsTransferable() ? { fetch: portFetch } : {};
}

/**
 * `fetch` over the port transport. Without a controlling worker, or for a request the worker does
 * not act on, it is the ordinary fetch (whose fetch event then does what it always did).
 */
export async function portFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const worker = navigator.serviceWorker?.controller;
  if (!worker) return fetch(input, init);
  const request = new Request(input, init);
  const signal = init?.signal ?? undefined;
  signal?.throwIfAborted();
  const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
  const message: PortFetchRequest = {
    type: 'keyhole:fetch',
    url: request.url,
    method: request.method,
    headers: [...request.headers],
    ...(body ? { body } : {}),
  };
  const { port1, port2 } = new MessageChannel();
  const answer = await new Promise<PortFetchAnswer>((resolve, reject) => {
    const onAbort = () => {
      port1.postMessage({ type: 'abort' } satisfies PortFetchAbort);
      reject(signal?.reason ?? new DOMException('The operation was aborted.', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    port1.onmessage = (e: MessageEvent<PortFetchAnswer>) => {
      signal?.removeEventListener('abort', onAbort);
      resolve(e.data);
    };
    // A worker that stops before answering closes its end (Chromium 122+): that is no answer.
    port1.addEventListener('close', () => reject(new TypeError('Failed to fetch: the service worker stopped.')));
    worker.postMessage(message, body ? [port2, body] : [port2]);
  });
  // Later aborts still reach the worker, which cancels the server's response.
  signal?.addEventListener('abort', () => port1.postMessage({ type: 'abort' } satisfies PortFetchAbort), { once: true });
  switch (answer.type) {
    case 'not-ours':
      port1.close();
      return fetch(input, init);
    case 'network-error':
      port1.close();
      throw new TypeError(`Failed to fetch: ${answer.message}`);
    case 'response':
      return new Response(NULL_BODY.has(answer.status) ? null : answer.body, {
        status: answer.status,
        statusText: answer.statusText,
        headers: answer.headers,
      });
  }
}
