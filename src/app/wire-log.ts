/**
 * The protocol view's record: every JSON-RPC message the page's MCP client sends or receives,
 * with its time and, for answers, how long the request took. It holds no credentials because
 * the page never has any: the service worker adds them after the message leaves this record.
 */
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import { tapIncoming } from './transport-tap.ts';

export type WireDirection = 'out' | 'in';
export type WireKind = 'request' | 'response' | 'error' | 'notification';

export interface WireEntry {
  seq: number;
  /** ms since the epoch */
  at: number;
  dir: WireDirection;
  kind: WireKind;
  /** The request's or notification's method; for an answer, the method of the request it answers. */
  method?: string;
  id?: string | number;
  /** For an answer: ms since its request went the other way; for an answered request, the same. */
  ms?: number;
  /**
   * The entry at the other end of a request (its answer) or of an answer (its request), by
   * `seq`. It may have left the log since (the oldest go first).
   */
  partner?: number;
  /** For an answered request: whether the answer was a result or an error. */
  answer?: 'response' | 'error';
  /** Which connection it went over: each `attach` starts a new one, with its own ids. */
  session: number;
  message: JSONRPCMessage;
}

/** Entries kept per connection; the oldest go first. */
export const WIRE_LOG_LIMIT = 2000;

export class WireLog {
  entries: WireEntry[] = [];
  private seq = 0;
  private session = 0;
  /**
   * Requests awaiting an answer, by connection, direction and id. JSON-RPC 2.0 (section 5) pairs
   * an answer with its request by id alone, and ids are only unique among one side's pending
   * requests of one connection: a reconnect starts again at 0, and the server numbers its own
   * requests (sampling, elicitation) independently of the client's.
   */
  private readonly open = new Map<string, WireEntry>();
  private readonly listeners = new Set<() => void>();

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clear(): void {
    this.entries = [];
    this.open.clear();
    this.emit();
  }

  /** Records one message; `session` is the connection it went over (default: the newest). */
  record(dir: WireDirection, message: JSONRPCMessage, session = this.session): void {
    const at = Date.now();
    const m = message as { id?: string | number | null; method?: string; error?: unknown };
    const entry: WireEntry = { seq: ++this.seq, at, dir, kind: 'notification', session, message };
    const hasId = m.id !== undefined && m.id !== null;
    if (m.method !== undefined) {
      entry.method = m.method;
      if (hasId) {
        entry.kind = 'request';
        entry.id = m.id as string | number;
        // A later request with the same id replaces an unanswered one: the answer goes to the nearest.
        this.open.set(openKey(session, dir, entry.id), entry);
      }
    } else if (m.id !== undefined) {
      entry.kind = m.error !== undefined ? 'error' : 'response';
      if (hasId) {
        entry.id = m.id as string | number;
        // An answer travels the other way from its request.
        const key = openKey(session, dir === 'in' ? 'out' : 'in', entry.id);
        const request = this.open.get(key);
        if (request) {
          this.open.delete(key);
          entry.method = request.method;
          entry.ms = request.ms = at - request.at;
          entry.partner = request.seq;
          request.partner = entry.seq;
          request.answer = entry.kind;
        }
      }
    }
    this.entries = [...this.entries.slice(-(WIRE_LOG_LIMIT - 1)), entry];
    this.emit();
  }

  /**
   * Records what passes through `transport` from now on. The SDK's client keeps the same
   * transport object (it tells HTTP transports apart by class), so this wraps its `send` and
   * taps what it receives (transport-tap.ts).
   */
  attach(transport: Transport): void {
    const session = ++this.session;
    const send = transport.send.bind(transport);
    transport.send = (message, options) => {
      this.record('out', message, session);
      return send(message, options);
    };
    tapIncoming(transport, (next) => (message, extra) => {
      this.record('in', message, session);
      next(message, extra);
    });
  }

  /** The entry with this `seq`, if it is still in the log. */
  find(seq: number): WireEntry | undefined {
    // Entries are in `seq` order: a binary search, as the log holds up to 2000.
    let lo = 0;
    let hi = this.entries.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = this.entries[mid]!;
      if (e.seq === seq) return e;
      if (e.seq < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}

/** JSON-RPC ids 1 and "1" are different ids (JSON-RPC 2.0, section 4). */
function openKey(session: number, dir: WireDirection, id: string | number): string {
  return `${session}:${dir}:${typeof id}:${String(id)}`;
}
