/**
 * Chromium ends a fetch event whose response has not begun within 5 minutes, and the page
 * then sees a network error (measured: a tool call silent for 5 min 30 s on a server that
 * answers JSON at the end failed so; test/e2e/streams.spec.ts). Once a response has begun, its
 * body may stream far longer. So a request the page would accept an event stream for
 * (Streamable HTTP lets a server answer a POST either way) is answered before that limit with
 * an event stream of our own, which carries the server's answer when it comes.
 */
import { MAX_MCP_MESSAGE_BYTES, messageTooLarge } from '../protocol.ts';
import { readAtMost } from './rules/bounded-read.ts';

/** Comfortably inside Chromium's 5-minute limit on a fetch event's answer. */
export const ANSWER_BY_MS = 240_000;

const encoder = new TextEncoder();

/** One server-sent event carrying one JSON-RPC message (every line of it prefixed: HTML §9.2.6). */
function messageEvent(json: string): Uint8Array {
  return encoder.encode(`event: message\n${json.split(/\r?\n/).map((l) => `data: ${l}`).join('\n')}\n\n`);
}

/** The JSON-RPC id of a request body, if it has one. */
function requestId(body: ArrayBuffer | undefined): string | number | undefined {
  try {
    const id = (JSON.parse(new TextDecoder().decode(body)) as { id?: unknown }).id;
    return typeof id === 'string' || typeof id === 'number' ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Resolves to `answer` if it comes within `ms`; otherwise to a 200 event stream at once, which
 * later passes on the server's event stream, or its JSON answer (up to `max` bytes) as one event,
 * or a JSON-RPC error for the request when the server failed.
 */
export async function answerInTime(
  answer: Promise<Response>,
  body: ArrayBuffer | undefined,
  ms = ANSWER_BY_MS,
  max = MAX_MCP_MESSAGE_BYTES,
): Promise<Response> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  const first = await Promise.race([answer, late]);
  clearTimeout(timer);
  if (first) return first;

  const id = requestId(body);
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      // A notification has no one to tell; a request gets a JSON-RPC error with its id.
      const fail = (message: string) => {
        if (id !== undefined) controller.enqueue(messageEvent(JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32603, message } })));
      };
      // A comment: the page's event-stream parser ignores it, and the response has begun.
      controller.enqueue(encoder.encode(': the server has not answered yet; Keyhole passes its answer on when it comes\n\n'));
      try {
        const res = await answer;
        const type = res.headers.get('content-type') ?? '';
        if (res.ok && /^text\/event-stream\b/i.test(type) && res.body) {
          const reader = res.body.getReader();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            controller.enqueue(value);
          }
        } else if (res.ok && /^application\/json\b/i.test(type)) {
          // Read here, so bounded here (a fetch event's JSON answer is otherwise bounded by the
          // page that reads it, response-limit.ts).
          const chunks = res.body ? await readAtMost(res.body.getReader(), max) : [];
          if (chunks) controller.enqueue(messageEvent(await new Blob(chunks).text()));
          else fail(`The MCP server answered after more than ${Math.round(ms / 60_000)} minutes, but ${messageTooLarge(false, max)}`);
        } else {
          fail(`The MCP server answered HTTP ${res.status} after more than ${Math.round(ms / 60_000)} minutes.`);
        }
      } catch (err) {
        fail(`No answer from the MCP server: ${(err as Error).message}`);
      }
      controller.close();
    },
  });
  return new Response(stream, { status: 200, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store' } });
}
