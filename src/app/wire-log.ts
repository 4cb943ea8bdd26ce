/**
 * The protocol view's record: every JSON-RPC message the page's MCP client sends or receives,
 * with its time and, for answers, how long the request took. It holds no credentials because
 * the page never has any: the service worker adds them after the message leaves this record.
 */
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';

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
  /** For an answer: ms since its request went the other way. */
  ms?: number;
  message: JSONRPCMessage;
}

/** Entries kept per connection; the oldest go first. */
export const WIRE_LOG_LIMIT = 2000;

export class WireLog {
  entries: WireEntry[] = [];
  private seq = 0;
  /** Requests awaiting an answer, by direction and id. */
  private readonly open = new Map<string, { at: number; method: string }>();
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

  record(dir: WireDirection, message: JSONRPCMessage): void {
    const at = Date.now();
    const m = message as { id?: string | number; method?: string; error?: unknown };
    const entry: WireEntry = { seq: ++this.seq, at, dir, kind: 'notification', message };
    if (m.method !== undefined) {
      entry.method = m.method;
      if (m.id !== undefined) {
        entry.kind = 'request';
        entry.id = m.id;
        this.open.set(`${dir}:${String(m.id)}`, { at, method: m.method });
      }
    } else if (m.id !== undefined) {
      entry.kind = m.error !== undefined ? 'error' : 'response';
      entry.id = m.id;
      // An answer travels the other way from its request.
      const key = `${dir === 'in' ? 'out' : 'in'}:${String(m.id)}`;
      const req = this.open.get(key);
      if (req) {
        this.open.delete(key);
        entry.method = req.method;
        entry.ms = at - req.at;
      }
    }
    this.entries = [...this.entries.slice(-(WIRE_LOG_LIMIT - 1)), entry];
    this.emit();
  }

  /**
   * Records what passes through `transport` from now on. The SDK's client keeps the same
   * transport object (it tells HTTP transports apart by class), so this wraps its `send` and
   * the `onmessage` the client installs, rather than putting another object in between.
   */
  attach(transport: Transport): void {
    const send = transport.send.bind(transport);
    transport.send = (message, options) => {
      this.record('out', message);
      return send(message, options);
    };
    let handler = transport.onmessage;
    Object.defineProperty(transport, 'onmessage', {
      configurable: true,
      get: () => handler,
      set: (next: Transport['onmessage']) => {
        handler = next
          ? (message, extra) => {
              this.record('in', message);
              next(message, extra);
            }
          : undefined;
      },
    });
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}
