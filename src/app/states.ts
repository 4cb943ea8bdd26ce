/** How a server's state and name are said, in the card and the sidebar alike (one vocabulary). */
import type { ConnectionState, ConnectionView } from '../protocol.ts';
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

/** What the card says of a connection, label and value (never a token: the view holds none). */
export function connectionFacts(v: ConnectionView | undefined, protocolVersion: string | undefined): [string, string][] {
  if (!v) return [];
  const rows: [string, string][] = [];
  if (protocolVersion) rows.push(['Protocol', protocolVersion]);
  if (v.issuer) rows.push(['Authorization server', v.issuer]);
  if (v.registration) rows.push(['Client registration', v.registration.replace('-', ' ')]);
  if (v.tokenKind) rows.push(['Token', `${v.tokenKind === 'dpop' ? 'DPoP-bound' : 'Bearer'}${v.canRefresh ? ', refreshable' : ''}`]);
  if (v.expiresAt) rows.push(['Expires', new Date(v.expiresAt).toLocaleTimeString()]);
  if (v.scopesGranted?.length) rows.push(['Scopes granted', v.scopesGranted.join(' ')]);
  if (v.storage) rows.push(['Storage', v.storage]);
  return rows;
}
