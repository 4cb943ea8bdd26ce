import { MAX_MCP_MESSAGE_BYTES, messageTooLarge } from '../protocol.ts';
import { joinChunks, readAtMost } from './rules/bounded-read.ts';

/**
 * A bound on what an MCP server may send through the worker, MAX_MCP_MESSAGE_BYTES per message.
 * Event streams pass through as they arrive (each SSE event is passed on at once); only their
 * size is counted.
 */

/**
 * How the answer is handed on (mcp-answer.ts): as a fetch event's response, whose body then
 * reaches the page untouched by the worker's script, or over the port as one buffer.
 */
export type Handover = 'fetch-event' | 'buffer';

/**
 * Returns `response` with a body that errors once one message exceeds `max` bytes; `onOverflow`
 * learns why, once. Event streams are counted per event (a blank line ends one, per the HTML
 * event-stream format) and stream on. Anything else is one message. Handed over as a buffer, it
 * is read whole here, within `max`. Handed to a fetch event, it goes on untouched, and the app's
 * reader bounds it in the page (app/limited-fetch.ts), the one that holds it: counting it here
 * would take every answer through the worker's thread, which cost a call 5-9% in Chromium
 * (bench/ab.mjs; in a plain test worker, even a clone read by no one cost about 3%), where the
 * page's own bounded read costs about nothing (its reader reads the body anyway).
 */
export async function limitResponse(response: Response, onOverflow: (message: string) => void, handover: Handover, max = MAX_MCP_MESSAGE_BYTES): Promise<Response> {
  if (!response.body) return response;
  // Counted even when Content-Length is declared within the limit: that is the encoded length, and a
  // compressed body (Content-Encoding is hidden from the worker by CORS) can decode far larger.
  if (/^text\/event-stream\b/i.test(response.headers.get('content-type') ?? '')) return countEvents(response, onOverflow, max);
  return handover === 'buffer' ? readWhole(response, onOverflow, max) : response;
}

/**
 * A single message (JSON, or an error page) of undeclared length, read here up to `max` and handed
 * on as one buffer: the page cannot use a JSON-RPC message before its end anyway, and a buffer
 * reaches it without a JavaScript stream in between.
 */
async function readWhole(response: Response, onOverflow: (message: string) => void, max: number): Promise<Response> {
  const init = { status: response.status, statusText: response.statusText, headers: response.headers };
  const chunks = await readAtMost(response.body!.getReader(), max);
  if (!chunks) {
    const message = messageTooLarge(false, max);
    onOverflow(message);
    // As before: the answer begins, and its body fails.
    return new Response(new ReadableStream({ start: (c) => c.error(new TypeError(message)) }), init);
  }
  const limited = new Response(chunks.length === 1 ? chunks[0]! : new Blob(chunks), init);
  bodiesRead.set(limited, chunks);
  return limited;
}

/** The chunks `readWhole` read, by the Response it made of them. */
const bodiesRead = new WeakMap<Response, Uint8Array<ArrayBuffer>[]>();

/**
 * The body of a response `limitResponse` read whole, as one buffer the caller may transfer
 * (the Response keeps its own copy), or undefined for any other response. The port transport
 * sends it so, rather than reading the body a second time or transferring a stream of it.
 */
export function bodyReadWhole(response: Response): ArrayBuffer | undefined {
  const chunks = bodiesRead.get(response);
  if (!chunks) return undefined;
  bodiesRead.delete(response);
  if (chunks.length === 1) {
    const [only] = chunks as [Uint8Array<ArrayBuffer>];
    return only.byteOffset === 0 && only.byteLength === only.buffer.byteLength ? only.buffer : only.slice().buffer;
  }
  return joinChunks(chunks).buffer;
}

/** An event stream passed on chunk by chunk, erroring at the first event over `max`. */
function countEvents(response: Response, onOverflow: (message: string) => void, max: number): Response {
  const count = eventSizeCounter(max);
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      if (!count(chunk)) {
        const message = messageTooLarge(true, max);
        onOverflow(message);
        controller.error(new TypeError(message));
        return;
      }
      controller.enqueue(chunk);
    },
  });
  return new Response(response.body!.pipeThrough(counter), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/**
 * Counts the bytes of each server-sent event across chunks; the returned function says whether
 * the stream is still within `max`. An event ends at a blank line (a line feed right after a line
 * feed, carriage returns ignored); its size is its bytes other than CR and LF.
 */
export function eventSizeCounter(max: number): (chunk: Uint8Array) => boolean {
  let size = 0;
  let lastWasLf = false;
  return (chunk) => {
    if (chunk.includes(0x0d)) {
      // CRLF line ends: byte by byte (rare; servers mostly send LF).
      for (const byte of chunk) {
        if (byte === 0x0a) {
          if (lastWasLf) size = 0;
          lastWasLf = true;
        } else if (byte !== 0x0d) {
          lastWasLf = false;
          if (++size > max) return false;
        }
      }
      return true;
    }
    // LF only: line by line, natively.
    for (let i = 0; ; ) {
      const lf = chunk.indexOf(0x0a, i);
      const end = lf === -1 ? chunk.length : lf;
      if (end > i) {
        lastWasLf = false;
        size += end - i;
        if (size > max) return false;
      }
      if (lf === -1) return true;
      if (lastWasLf) size = 0;
      lastWasLf = true;
      i = lf + 1;
    }
  };
}

/** Whether the response declares a body length of at most `max` bytes. */
export function declaredWithin(response: Response, max: number): boolean {
  const declared = response.headers.get('content-length');
  return declared !== null && /^\d{1,16}$/.test(declared) && Number(declared) <= max;
}
