/**
 * A result with no `resultType` is complete (MCP 2026-07-28, basic/patterns/mrtr: "the client
 * MUST assume complete when not specified"; the conformance suite's
 * `sep-2322-default-result-type-complete`). The SDK client accepts that only from servers of
 * earlier revisions and rejects it on a 2026-07-28 session, so such a result gets its
 * `resultType: "complete"` here, between the transport and the client. The protocol view still
 * records the message as the server sent it (its tap sits before this one).
 */
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import { tapIncoming } from './transport-tap.ts';

/** Adds `resultType: "complete"` to results that have none while `modern()` says the session is 2026-07-28. */
export function assumeCompleteResults(transport: Transport, modern: () => boolean): void {
  tapIncoming(transport, (next) => (message, extra) => next(modern() ? completed(message) : message, extra));
}

export function completed(message: JSONRPCMessage): JSONRPCMessage {
  if (!('result' in message)) return message;
  const result = message.result as Record<string, unknown> | null;
  if (result === null || typeof result !== 'object' || Array.isArray(result) || 'resultType' in result) return message;
  // A copy: the protocol view holds the message as received.
  return { ...message, result: { ...result, resultType: 'complete' } } as JSONRPCMessage;
}
