/**
 * The list of servers the person added, remembered across reloads in localStorage. No secret is
 * ever written here: a client secret goes to the service worker and nowhere else.
 */
export interface SavedServer {
  serverUrl: string;
  clientId?: string;
  scopes?: string;
  keepSignedIn: boolean;
  /** MCP roots offered to this server (file:// URIs). */
  roots?: { uri: string; name?: string }[];
}

const KEY = 'keyhole.servers.v1';

export function loadServers(): SavedServer[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(parsed) ? cleanServers(parsed) : [];
  } catch {
    return [];
  }
}

/**
 * Keeps only the fields a saved server has, of the right types: whatever else an entry carries
 * (from old storage, or an imported file) is dropped, so no secret can ride along.
 */
export function cleanServers(entries: unknown[]): SavedServer[] {
  return entries
    .filter((s): s is Record<string, unknown> & { serverUrl: string } => typeof (s as { serverUrl?: unknown })?.serverUrl === 'string')
    .map((s) => {
      const roots = Array.isArray(s.roots)
        ? s.roots
            .filter((r): r is { uri: string; name?: unknown } => typeof (r as { uri?: unknown })?.uri === 'string')
            .map((r) => ({ uri: r.uri, ...(typeof r.name === 'string' && r.name ? { name: r.name } : {}) }))
        : [];
      return {
        serverUrl: s.serverUrl,
        keepSignedIn: !!s.keepSignedIn,
        ...(typeof s.clientId === 'string' && s.clientId ? { clientId: s.clientId } : {}),
        ...(typeof s.scopes === 'string' && s.scopes ? { scopes: s.scopes } : {}),
        ...(roots.length ? { roots } : {}),
      };
    });
}

/** The export file's marker and version, so an import can tell a server list from any JSON. */
const EXPORT_FORMAT = 'keyhole-servers';
const EXPORT_VERSION = 1;

/** The server list as a file a person can keep or share: URLs, names and client settings, never a secret. */
export function exportServers(servers: SavedServer[]): string {
  return JSON.stringify({ format: EXPORT_FORMAT, version: EXPORT_VERSION, servers: cleanServers(servers) }, null, 2);
}

/** Reads an exported list (or a bare array of servers); throws an Error that says what is wrong. */
export function parseServerList(text: string): SavedServer[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('The file is not JSON.');
  }
  const doc = parsed as { format?: unknown; version?: unknown; servers?: unknown };
  const list = Array.isArray(parsed) ? parsed : doc?.format === EXPORT_FORMAT ? doc.servers : undefined;
  if (!Array.isArray(list)) throw new Error(`The file is not a Keyhole server list (expected "format": "${EXPORT_FORMAT}").`);
  if (!Array.isArray(parsed) && doc.version !== EXPORT_VERSION) throw new Error(`This server list is version ${String(doc.version)}; Keyhole reads version ${EXPORT_VERSION}.`);
  const servers = cleanServers(list);
  if (!servers.length) throw new Error('The file lists no servers.');
  return servers;
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
