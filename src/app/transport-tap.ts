/**
 * One way to look at (or change) what the SDK client receives from its transport. The client
 * keeps the transport object it was given (it tells HTTP transports apart by class), so a tap
 * wraps the `onmessage` handler the client installs on it, rather than putting another object in
 * between. Taps chain: one attached earlier sees each message first, as the server sent it.
 */
import type { Transport } from '@modelcontextprotocol/client';

type Handler = NonNullable<Transport['onmessage']>;

/** Wraps every handler the client installs on `transport` from now on with `wrap`. */
export function tapIncoming(transport: Transport, wrap: (next: Handler) => Handler): void {
  const prior = Object.getOwnPropertyDescriptor(transport, 'onmessage');
  let own = transport.onmessage;
  Object.defineProperty(transport, 'onmessage', {
    configurable: true,
    get: () => (prior?.get ? (prior.get.call(transport) as Transport['onmessage']) : own),
    set: (next: Transport['onmessage']) => {
      const wrapped = next ? wrap(next) : undefined;
      if (prior?.set) prior.set.call(transport, wrapped);
      else own = wrapped;
    },
  });
}
