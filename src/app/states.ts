/** How a server's state and name are said, in the card and the sidebar alike (one vocabulary). */
import type { ConnectionState } from '../protocol.ts';
import type { SavedServer } from './servers-store.ts';

export const STATE_LABEL: Record<ConnectionState, string> = {
  disconnected: 'Disconnected',
  connecting: 'Connecting…',
  'needs-authorization': 'Needs authorization',
  authorizing: 'Authorizing…',
  connected: 'Connected',
  error: 'Error',
};

/** The name a person sees for a server: the one they gave it, else its URL. */
export function serverTitle(server: Pick<SavedServer, 'serverUrl' | 'name'>): string {
  return server.name || server.serverUrl;
}
