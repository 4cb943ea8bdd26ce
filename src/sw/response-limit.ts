/**
 * A bound on what an MCP server may send through the worker. Bodies stream through untouched
 * (SSE events are passed on as they arrive); only their size is counted.
 */

/**
 * The largest single JSON-RPC message passed on: a JSON response body, or one server-sent
 * event. Tool results carrying images or audio are a few MB; a server sending more than this in
 * one message is broken or hostile, and the page would have to hold it all in memory to parse it.
 */
export const MAX_MCP_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * Returns `response` with a body that errors once one message exceeds `max` bytes; `onOverflow`
 * learns why, once. Event streams are counted per event (a blank line ends one, per the HTML
 * event-stream format), anything else as a whole.
 */
export function limitResponse(response: Response, onOverflow: (message: string) => void, max = MAX_MCP_MESSAGE_BYTES): Response {
  if (!response.body) return response;
  const perEvent = /^text\/event-stream\b/i.test(response.headers.get('content-type') ?? '');
  let size = 0;
  // Bytes since the last line feed that was itself preceded by a line break (CR ignored).
  let lastWasLf = false;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      if (perEvent) {
        for (const byte of chunk) {
          if (byte === 0x0a) {
            if (lastWasLf) size = 0;
            lastWasLf = true;
          } else if (byte !== 0x0d) {
            lastWasLf = false;
            size++;
          }
          if (size > max) break;
        }
      } else {
        size += chunk.byteLength;
      }
      if (size > max) {
        const message = perEvent
          ? `the server sent an event larger than ${max} bytes, Keyhole's limit for one MCP message.`
          : `the server's answer is larger than ${max} bytes, Keyhole's limit for one MCP message.`;
        onOverflow(message);
        controller.error(new TypeError(message));
        return;
      }
      controller.enqueue(chunk);
    },
  });
  return new Response(response.body.pipeThrough(counter), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
