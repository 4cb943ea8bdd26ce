/**
 * The list of servers the person added, remembered across reloads in localStorage. No secret is
 * ever written here: a client secret goes to the service worker and nowhere else.
 */
export interface SavedServer {
  serverUrl: string;
  clientId?: string;
  scopes?: string;
  keepSignedIn: boolean;
}

const KEY = 'keyhole.servers.v1';

export function loadServers(): SavedServer[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((s): s is SavedServer => typeof s?.serverUrl === 'string').map((s) => ({
      serverUrl: s.serverUrl,
      keepSignedIn: !!s.keepSignedIn,
      ...(typeof s.clientId === 'string' && s.clientId ? { clientId: s.clientId } : {}),
      ...(typeof s.scopes === 'string' && s.scopes ? { scopes: s.scopes } : {}),
    }));
  } catch {
    return [];
  }
}

export function saveServers(servers: SavedServer[]): void {
  localStorage.setItem(KEY, JSON.stringify(servers));
}

/** A step-up interrupted by the redirect: the call to repeat when the person comes back. */
export interface PendingCall {
  serverUrl: string;
  tool: string;
  args: string;
}

const PENDING = 'keyhole.pendingCall.v1';

export function setPendingCall(call: PendingCall | undefined): void {
  if (call) sessionStorage.setItem(PENDING, JSON.stringify(call));
  else sessionStorage.removeItem(PENDING);
}

export function takePendingCall(serverUrl: string): PendingCall | undefined {
  try {
    const call = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as PendingCall | null;
    if (call?.serverUrl !== serverUrl) return undefined;
    sessionStorage.removeItem(PENDING);
    return call;
  } catch {
    return undefined;
  }
}
