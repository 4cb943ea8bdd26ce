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
  // A body whose length the server declared within the limit cannot exceed it (RFC 9110 §8.6:
  // the browser reads no more than Content-Length), so it passes untouched: no stream in
  // JavaScript between the network and the page, which is most of a small call's cost here.
  // The declared length is the encoded one: a compressed body (Content-Encoding is hidden from
  // the worker by CORS) can decode larger, so this bounds what the server sends, not what a
  // decompressor makes of it.
  if (declaredWithin(response, max)) return response;
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

/** Whether the response declares a body length of at most `max` bytes. */
export function declaredWithin(response: Response, max: number): boolean {
  const declared = response.headers.get('content-length');
  return declared !== null && /^\d{1,16}$/.test(declared) && Number(declared) <= max;
}
