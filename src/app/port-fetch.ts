/**
 * The page's end of the port transport (protocol.ts `PortFetchRequest`): a `fetch` for the MCP
 * SDK's transport that hands each request to the worker over a `MessageChannel` rather than
 * letting the browser route it through a fetch event. The worker adds the credentials exactly
 * as for an intercepted request; the page still receives only status, exposed headers and body.
 *
 * The default where the browser can transfer a ReadableStream and has Web Locks: npm run bench
 * measured it 5-30% faster per call than the fetch-event path, most often about 15% (README,
 * Benchmark). Elsewhere, and with `?transport=fetch` (remembered for the tab; `?transport=port`
 * switches back), the SDK uses the ordinary fetch (its answers bounded as they are read:
 * limited-fetch.ts) and the worker's fetch event. A build made with VITE_KEYHOLE_TRANSPORT=fetch
 * has the fetch-event path by default.
 *
 * A worker the browser stops while it holds a request never answers it, and Chromium does not
 * close the port then. So the worker first says which Web Lock marks its life (`accepted`), and
 * the page waits for that lock: granted, the worker is gone, and whatever it left unanswered (or
 * a body it was still streaming) fails as a network error, as on the fetch-event path.
 */
import type { PortFetchAbort, PortFetchAccepted, PortFetchAnswer, PortFetchRequest } from '../protocol.ts';
import { answeringFrom } from './body-read.ts';
import { limitedFetch } from './limited-fetch.ts';

const TRANSPORT_KEY = 'keyhole:transport';
/** Statuses whose responses have no body (Fetch §2.2.3 null body status). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** Whether this tab uses the port transport: unless `?transport=fetch` asked otherwise (remembered for the tab, like `?protocol=`). */
export function portTransportChosen(): boolean {
  const asked = new URLSearchParams(location.search).get('transport');
  if (asked) sessionStorage.setItem(TRANSPORT_KEY, asked);
  const chosen = asked ?? sessionStorage.getItem(TRANSPORT_KEY) ?? (import.meta.env.VITE_KEYHOLE_TRANSPORT as string | undefined);
  return chosen !== 'fetch';
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

/**
 * The transport option for the SDK: the port fetch when chosen and possible, else the ordinary
 * fetch, its answers bounded as they are read (limited-fetch.ts). Which one is written on the
 * document (`data-mcp-transport`) for a person in DevTools and for the cross-browser suite, which
 * checks each engine takes the one it supports.
 */
export function transportFetchOption(): { fetch: typeof fetch } {
  const port = portTransportChosen() && 'locks' in navigator && streamsTransferable();
  document.documentElement.dataset.mcpTransport = port ? 'port' : 'fetch';
  return { fetch: port ? portFetch : limitedFetch };
}

/** What fetch reports for a request lost with the worker (a TypeError, like any network error). */
class WorkerStopped extends TypeError {
  constructor() {
    super('Failed to fetch: the service worker stopped before it answered.');
  }
}
/** What each worker life (a lock name) still owes this page: one way to fail each. */
const owed = new Map<string, Set<(err: Error) => void>>();

/** Counts `fail` against the worker life `life` until the returned function is called. */
function owedBy(life: string, fail: (err: Error) => void): () => void {
  let debts = owed.get(life);
  if (!debts) {
    const mine = new Set<(err: Error) => void>();
    owed.set(life, mine);
    debts = mine;
    // Granted only once the worker that holds it is gone (the worker never releases it).
    void navigator.locks.request(life, () => {
      owed.delete(life);
      for (const f of mine) f(new WorkerStopped());
    });
  }
  debts.add(fail);
  const mine = debts;
  return () => void mine.delete(fail);
}

/**
 * Requests whose answer is not yet whole. A page that leaves cancels them, as the browser cancels
 * a leaving page's fetches: the worker learns of it from no one else in time (Chromium does not
 * close the port), and a server's open event streams would keep their connections.
 */
const unfinished = new Set<MessagePort>();
addEventListener('pagehide', () => {
  for (const port of unfinished) port.postMessage({ type: 'abort' } satisfies PortFetchAbort);
  unfinished.clear();
});

/** `body`, erroring if the worker streaming it stops first; `ended` once it is over either way. */
function guarded(body: ReadableStream<Uint8Array>, life: string | undefined, ended: () => void): ReadableStream<Uint8Array> {
  let controller!: TransformStreamDefaultController<Uint8Array>;
  const guard = new TransformStream<Uint8Array, Uint8Array>({ start: (c) => void (controller = c) });
  const forget = life ? owedBy(life, (err) => controller.error(err)) : () => {};
  const done = () => {
    forget();
    ended();
  };
  body.pipeTo(guard.writable).then(done, done);
  return guard.readable;
}

/**
 * `fetch` over the port transport. Without a controlling worker, or for a request the worker does
 * not act on, it is the ordinary fetch, bounded as it is read (limited-fetch.ts), whose fetch
 * event then does what it always did.
 */
export async function portFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  if (!navigator.serviceWorker?.controller) return limitedFetch(input, init);
  const request = new Request(input, init);
  const signal = init?.signal ?? undefined;
  signal?.throwIfAborted();
  const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
  const message: PortFetchRequest = { type: 'keyhole:fetch', url: request.url, method: request.method, headers: [...request.headers] };
  let sent;
  try {
    sent = await exchange(message, body, signal);
  } catch (err) {
    // A worker stopped before answering: Chromium dispatches a fetch event whose worker stopped
    // again to the next worker, once; so does this path, so that both behave alike.
    if (!(err instanceof WorkerStopped) || !navigator.serviceWorker.controller) throw err;
    sent = await exchange(message, body, signal);
  }
  const { answer, life, port } = sent;
  const finished = () => void unfinished.delete(port);
  if (answer.type !== 'response' || !(answer.body instanceof ReadableStream)) finished();
  switch (answer.type) {
    case 'not-ours':
      port.close();
      return limitedFetch(input, init);
    case 'network-error':
      port.close();
      throw new TypeError(`Failed to fetch: ${answer.message}`);
    case 'response': {
      const streamed = answer.body instanceof ReadableStream ? guarded(answer.body, life, finished) : answer.body;
      const init = { status: answer.status, statusText: answer.statusText, headers: answer.headers };
      if (NULL_BODY.has(answer.status)) return new Response(null, init);
      // A message the worker read whole arrives as one buffer, which the SDK then parses as it is.
      return answer.body instanceof ArrayBuffer ? answeringFrom(new Response(answer.body, init), [new Uint8Array(answer.body)]) : new Response(streamed, init);
    }
  }
}

/** One request to the controlling worker and its answer, failing with WorkerStopped if the worker stops first. */
async function exchange(
  message: PortFetchRequest,
  body: ArrayBuffer | undefined,
  signal: AbortSignal | undefined,
): Promise<{ answer: PortFetchAnswer; life: string | undefined; port: MessagePort }> {
  const worker = navigator.serviceWorker.controller;
  if (!worker) throw new TypeError('Failed to fetch: no service worker controls this page.');
  // A copy is transferred: the original stays for a second attempt.
  const copy = body?.slice(0);
  const { port1, port2 } = new MessageChannel();
  let life: string | undefined;
  unfinished.add(port1);
  const answer = await new Promise<PortFetchAnswer>((resolve, reject) => {
    let forget = () => {};
    const onAbort = () => {
      port1.postMessage({ type: 'abort' } satisfies PortFetchAbort);
      forget();
      reject(signal?.reason ?? new DOMException('The operation was aborted.', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    port1.onmessage = (e: MessageEvent<PortFetchAccepted | PortFetchAnswer>) => {
      if (e.data.type === 'accepted') {
        life = e.data.life;
        forget = owedBy(life, () => {
          signal?.removeEventListener('abort', onAbort);
          reject(new WorkerStopped());
        });
        return;
      }
      signal?.removeEventListener('abort', onAbort);
      forget();
      resolve(e.data);
    };
    worker.postMessage(copy ? { ...message, body: copy } : message, copy ? [port2, copy] : [port2]);
  }).catch((err: unknown) => {
    unfinished.delete(port1);
    throw err;
  });
  // Later aborts still reach the worker, which cancels the server's response.
  signal?.addEventListener('abort', () => port1.postMessage({ type: 'abort' } satisfies PortFetchAbort), { once: true });
  return { answer, life, port: port1 };
}
