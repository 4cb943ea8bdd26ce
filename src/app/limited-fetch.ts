/**
 * The page's bound on the MCP answers that reach it untouched. A fetch event's JSON answer goes
 * from the network to the page without the worker reading it (sw/response-limit.ts says why), so
 * the SDK's transport reads it through this `fetch`, which stops at MAX_MCP_MESSAGE_BYTES, as the
 * worker does for what it reads itself (the port transport's answers). Over it, the request fails
 * with the reason, and the worker is told, so that the connection's card shows it exactly as when
 * the worker stopped reading. Event streams stay the worker's to count, per event, on both paths.
 */
import { MAX_MCP_MESSAGE_BYTES, messageTooLarge, type Command } from '../protocol.ts';
import { readAtMost } from '../sw/rules/bounded-read.ts';
import { answeringFrom } from './body-read.ts';
import { McpFailure } from './mcp-failure.ts';

export async function limitedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  if (!response.body || /^text\/event-stream\b/i.test(response.headers.get('content-type') ?? '')) return response;
  // Read here anyway (the SDK parses a JSON-RPC answer only once it is whole), so the count costs
  // a call about nothing (npm run bench reads answers so on its worker row), and the SDK then
  // parses what was read (body-read.ts).
  const chunks = await readAtMost(response.body.getReader(), MAX_MCP_MESSAGE_BYTES);
  if (!chunks) {
    const url = input instanceof Request ? input.url : String(input);
    navigator.serviceWorker?.controller?.postMessage({ type: 'answer-too-large', url } satisfies Command);
    const reason = messageTooLarge(false);
    throw new McpFailure(reason.charAt(0).toUpperCase() + reason.slice(1), 'protocol');
  }
  return answeringFrom(response, chunks);
}
