/// <reference lib="webworker" />
/**
 * The worker's end of the port transport (protocol.ts `PortFetchRequest`): a request the page
 * sent as a message instead of a fetch, answered by the same code as an intercepted one
 * (mcp-answer.ts). The sending client's id comes from the message event, set by the browser, so
 * the gate is the same; the answer holds what an intercepted response would have shown the page.
 */
import type { PortFetchAccepted, PortFetchAnswer, PortFetchRequest } from '../protocol.ts';
import { answerMcp } from './mcp-answer.ts';
import { abortIfClientGoes } from './orphaned-requests.ts';
import { bodyReadWhole, declaredWithin } from './response-limit.ts';

/**
 * Bodies up to this declared length go to the page whole, as one transferred buffer: cheaper
 * than a transferred stream, which crosses between the two realms chunk by chunk. (A JSON answer
 * is read whole anyway, to count it: response-limit.ts; its buffer goes whatever its length.)
 */
const WHOLE_BODY_BYTES = 1024 * 1024;
/** Statuses whose responses have no body (Fetch §2.2.3 null body status). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * This worker instance's life: a Web Lock taken when it first answers over a port and never
 * released, so the browser releases it only when it stops the worker. A stopped worker answers
 * nothing and Chromium does not close the port, so the page learns of the stop by being granted
 * this lock (port-fetch.ts), and fails what was left unanswered, as a fetch event's page would
 * get a network error.
 */
const LIFE = `keyhole:worker-life:${crypto.randomUUID()}`;
let lifeHeld: Promise<void> | undefined;
function holdLife(): Promise<void> {
  lifeHeld ??= new Promise<void>((held) => {
    void navigator.locks.request(LIFE, () => {
      held();
      return new Promise<never>(() => {});
    });
  });
  return lifeHeld;
}

export function answerPortFetch(event: ExtendableMessageEvent, req: PortFetchRequest): void {
  const port = event.ports[0];
  if (!port) return;
  // Said once the lock is held, so that the page's request for it queues behind this worker.
  const accepted = holdLife().then(() => port.postMessage({ type: 'accepted', life: LIFE } satisfies PortFetchAccepted));
  const source = event.source;
  const clientId = source && 'id' in source ? source.id : '';
  const aborted = new AbortController();
  port.onmessage = (e: MessageEvent<{ type?: unknown }>) => {
    if (e.data?.type === 'abort') aborted.abort();
  };
  // Until the answer has been passed on whole (a streamed body: until it ends or the page cancels it).
  const settled = clientId ? abortIfClientGoes(clientId, aborted) : () => {};
  const keepAlive = (p: Promise<unknown>) => {
    try {
      event.waitUntil(p);
    } catch {
      // The event is over: `p` simply runs.
    }
  };
  const answered = Promise.allSettled([answer(req, clientId, aborted.signal, keepAlive, settled), accepted]).then(([result]) => {
    if (result.status === 'fulfilled') return port.postMessage(result.value.message, result.value.transfer);
    settled();
    port.postMessage({ type: 'network-error', message: String((result.reason as Error)?.message ?? result.reason) } satisfies PortFetchAnswer);
  });
  event.waitUntil(answered);
}

async function answer(
  req: PortFetchRequest,
  clientId: string,
  signal: AbortSignal,
  keepAlive: (p: Promise<unknown>) => void,
  settled: () => void,
): Promise<{ message: PortFetchAnswer; transfer: Transferable[] }> {
  const request = new Request(req.url, {
    method: req.method,
    headers: req.headers,
    body: req.body ?? null,
    signal,
    mode: 'cors',
    credentials: 'omit',
    redirect: 'manual',
  });
  const response = await answerMcp(request, clientId, keepAlive, 'buffer');
  if (!response) return settledWith(settled, { message: { type: 'not-ours' }, transfer: [] });
  const head = { type: 'response' as const, status: response.status, statusText: response.statusText, headers: headerList(response.headers) };
  if (!response.body || NULL_BODY.has(response.status)) return settledWith(settled, { message: { ...head, body: null }, transfer: [] });
  // An answer the worker already read whole (to count it): its bytes, not a second read.
  const read = bodyReadWhole(response);
  if (read) return settledWith(settled, { message: { ...head, body: read }, transfer: [read] });
  if (declaredWithin(response, WHOLE_BODY_BYTES) && !/^text\/event-stream\b/i.test(response.headers.get('content-type') ?? '')) {
    const body = await response.arrayBuffer();
    return settledWith(settled, { message: { ...head, body }, transfer: [body] });
  }
  // A stream: settled once it has ended, failed, or been cancelled by the page.
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  response.body.pipeTo(writable).then(settled, settled);
  return { message: { ...head, body: readable }, transfer: [readable] };
}

function settledWith<T>(settled: () => void, value: T): T {
  settled();
  return value;
}

function headerList(headers: Headers): [string, string][] {
  const list: [string, string][] = [];
  headers.forEach((value, name) => list.push([name, value]));
  return list;
}
