/**
 * The list of servers the person added, remembered across reloads in localStorage. No secret is
 * ever written here: a client secret goes to the service worker and nowhere else.
 */
import { checkEndpointUrl } from '../sw/rules/urls.ts';

/** The MCP revisions a server can be pinned to; without a pin the client negotiates. */
export const PINNABLE_PROTOCOLS = ['2025-11-25', '2026-07-28'] as const;
export type PinnedProtocol = (typeof PINNABLE_PROTOCOLS)[number];

/** Longest display name kept, in characters. */
export const NAME_MAX = 80;

export interface SavedServer {
  serverUrl: string;
  /** The display name the person chose (trimmed, at most NAME_MAX characters). */
  name?: string;
  clientId?: string;
  scopes?: string;
  keepSignedIn: boolean;
  /** The MCP revision this server is pinned to; absent: negotiate. */
  protocol?: PinnedProtocol;
  /** MCP roots offered to this server (file:// URIs). */
  roots?: { uri: string; name?: string }[];
}

/** A display name as kept: trimmed, not empty, at most NAME_MAX characters; otherwise none. */
export function cleanName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const name = value.trim();
  return name && name.length <= NAME_MAX ? name : undefined;
}

function isPinnedProtocol(value: unknown): value is PinnedProtocol {
  return (PINNABLE_PROTOCOLS as readonly unknown[]).includes(value);
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
      const name = cleanName(s.name);
      return {
        serverUrl: s.serverUrl,
        ...(name ? { name } : {}),
        keepSignedIn: !!s.keepSignedIn,
        ...(isPinnedProtocol(s.protocol) ? { protocol: s.protocol } : {}),
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
  return keyholeList(parseJson(text));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error('The file is not JSON.');
  }
}

function keyholeList(parsed: unknown): SavedServer[] {
  const doc = parsed as { format?: unknown; version?: unknown; servers?: unknown };
  const list = Array.isArray(parsed) ? parsed : doc?.format === EXPORT_FORMAT ? doc.servers : undefined;
  if (!Array.isArray(list)) throw new Error(`The file is not a Keyhole server list (expected "format": "${EXPORT_FORMAT}").`);
  if (!Array.isArray(parsed) && doc.version !== EXPORT_VERSION) throw new Error(`This server list is version ${String(doc.version)}; Keyhole reads version ${EXPORT_VERSION}.`);
  const servers = cleanServers(list);
  if (!servers.length) throw new Error('The file lists no servers.');
  return servers;
}

/** An entry of an imported file that was left out, or added with a caveat: whose, and why. */
export interface ImportNote {
  name: string;
  reason: string;
}

export interface ImportedServerList {
  /** Servers to add: URL and display name only, never a header, an environment or a secret. */
  servers: SavedServer[];
  /** Entries left out, each with the reason. */
  skipped: ImportNote[];
  /** Entries added, with something about them the person should know (a header not carried). */
  notes: ImportNote[];
  format: 'keyhole' | 'server.json' | 'mcpServers';
}

/** The reasons an entry is left out or noted, worded once. */
export const IMPORT_REASONS = {
  sse: 'uses the old HTTP+SSE transport; Keyhole speaks Streamable HTTP only (MCP 2025-03-26 and later)',
  stdio: 'runs as a local program over stdio; a browser cannot start programs',
  localHttp: 'is a package run as a local program; a browser cannot start programs (start it yourself, then add the URL it listens on)',
  variables: 'the URL has {variables} to fill in; add the server by hand with the real URL',
  noUrl: 'has neither a URL nor a command',
  headers: 'added without its headers: a static header (an API key, say) is not carried; Keyhole authorizes with OAuth',
} as const;

/**
 * Reads a server list in any format Keyhole knows: its own export, the MCP registry's
 * server.json (one server, or the registry API's `{ server }` / `{ servers: [{ server }] }`
 * answers), or the `mcpServers` configuration desktop clients use (Claude Desktop, Cursor,
 * Windsurf's `serverUrl`, VS Code's `servers`). Only the URL and a display name are taken:
 * headers and environment variables (where static API keys live) are never read into the result.
 * Each URL meets the rule a typed-in URL meets (https, http on loopback); one that does not is
 * skipped with the rule's message. Throws an Error that says what is wrong when the file is none
 * of these, or lists nothing.
 */
export function parseAnyServerList(text: string): ImportedServerList {
  const parsed = parseJson(text);
  const doc = isObject(parsed) ? parsed : undefined;
  if (Array.isArray(parsed) || doc?.format === EXPORT_FORMAT) {
    const out = imported('keyhole');
    for (const s of keyholeList(parsed)) if (acceptable(out, s.serverUrl, s.name ?? s.serverUrl)) out.servers.push(s);
    return out;
  }
  const registry = doc && registryServers(doc);
  if (registry) return notEmpty(fromServerJson(registry));
  const config = doc && (isObject(doc.mcpServers) ? doc.mcpServers : isObject(doc.servers) ? doc.servers : undefined);
  if (config) return notEmpty(fromMcpServers(config));
  throw new Error(
    'The file is not a server list Keyhole knows: expected a Keyhole export ("format": "keyhole-servers"), an MCP registry server.json ("name" with "remotes" or "packages"), or an "mcpServers" configuration (Claude Desktop, Cursor, VS Code).',
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isServerJson(v: unknown): v is Record<string, unknown> & { name: string } {
  return isObject(v) && typeof v.name === 'string' && (Array.isArray(v.remotes) || Array.isArray(v.packages));
}

/** The server.json documents in a file: one, the registry API's `{ server }`, or its `{ servers: [{ server }] }`. */
function registryServers(doc: Record<string, unknown>): (Record<string, unknown> & { name: string })[] | undefined {
  if (isServerJson(doc)) return [doc];
  if (isServerJson(doc.server)) return [doc.server];
  if (Array.isArray(doc.servers) && doc.servers.length && doc.servers.every((e) => isServerJson((e as { server?: unknown })?.server))) {
    return doc.servers.map((e) => (e as { server: Record<string, unknown> & { name: string } }).server);
  }
  return undefined;
}

/** A display name cut to NAME_MAX characters (a registry title may be longer). */
function displayName(value: string): string | undefined {
  return cleanName(value.trim().slice(0, NAME_MAX));
}

function imported(format: ImportedServerList['format']): ImportedServerList {
  return { servers: [], skipped: [], notes: [], format };
}

/** True when the URL meets the rule a typed-in URL meets (https, http on loopback); else skipped with the rule's words. */
function acceptable(out: ImportedServerList, url: string, shownAs: string): boolean {
  try {
    checkEndpointUrl(url, 'The URL');
    return true;
  } catch (err) {
    out.skipped.push({ name: shownAs, reason: (err as Error).message });
    return false;
  }
}

/** Adds a server by URL and display name; its headers, if any, are noted and left behind. */
function addServer(out: ImportedServerList, url: string, name: string, shownAs: string, hadHeaders: boolean): void {
  if (!acceptable(out, url, shownAs)) return;
  const shown = displayName(name);
  out.servers.push({ serverUrl: url, ...(shown ? { name: shown } : {}), keepSignedIn: false });
  if (hadHeaders) out.notes.push({ name: shownAs, reason: IMPORT_REASONS.headers });
}

function notEmpty(list: ImportedServerList): ImportedServerList {
  if (!list.servers.length && !list.skipped.length) throw new Error('The file lists no servers.');
  return list;
}

const hasVariables = (url: string): boolean => /\{[^}]*\}/.test(url);

/**
 * server.json (MCP registry, schema 2025-12-11): each `streamable-http` remote is a server;
 * `sse` remotes and `packages` (npm, PyPI, OCI… started on the person's machine) are not.
 */
function fromServerJson(docs: (Record<string, unknown> & { name: string })[]): ImportedServerList {
  const out = imported('server.json');
  for (const doc of docs) {
    const name = typeof doc.title === 'string' && doc.title.trim() ? doc.title : doc.name;
    for (const remote of Array.isArray(doc.remotes) ? doc.remotes : []) {
      const r = isObject(remote) ? remote : {};
      const url = typeof r.url === 'string' ? r.url : '';
      const where = url ? `${name} (${url})` : name;
      if (r.type === 'sse') out.skipped.push({ name: where, reason: IMPORT_REASONS.sse });
      else if (r.type !== 'streamable-http') out.skipped.push({ name: where, reason: `has a remote of type ${JSON.stringify(r.type ?? null)}, which Keyhole does not know` });
      else if (!url) out.skipped.push({ name, reason: IMPORT_REASONS.noUrl });
      else if (hasVariables(url)) out.skipped.push({ name: where, reason: IMPORT_REASONS.variables });
      else addServer(out, url, name, where, Array.isArray(r.headers) && r.headers.length > 0);
    }
    for (const pkg of Array.isArray(doc.packages) ? doc.packages : []) {
      const p = isObject(pkg) ? pkg : {};
      const what = [p.registryType, p.identifier].filter((x) => typeof x === 'string').join(' ');
      const transport = isObject(p.transport) ? p.transport.type : undefined;
      out.skipped.push({ name: what ? `${name} (${what})` : name, reason: transport && transport !== 'stdio' ? IMPORT_REASONS.localHttp : IMPORT_REASONS.stdio });
    }
  }
  return out;
}

/**
 * `{ "<name>": { url, type?, headers? } | { command, args?, env? } }`: entries with a URL are
 * servers named by their key; `command` entries are local programs. `type` is "http" or
 * "streamable-http" (Cursor, VS Code), "sse", or "stdio"; without it a URL is taken as
 * Streamable HTTP. Windsurf names the URL `serverUrl`.
 */
function fromMcpServers(config: Record<string, unknown>): ImportedServerList {
  const out = imported('mcpServers');
  for (const [name, entry] of Object.entries(config)) {
    const e = isObject(entry) ? entry : {};
    const url = typeof e.url === 'string' ? e.url : typeof e.serverUrl === 'string' ? e.serverUrl : undefined;
    if (e.type === 'stdio' || (url === undefined && typeof e.command === 'string')) out.skipped.push({ name, reason: IMPORT_REASONS.stdio });
    else if (url === undefined) out.skipped.push({ name, reason: IMPORT_REASONS.noUrl });
    else if (e.type === 'sse') out.skipped.push({ name, reason: IMPORT_REASONS.sse });
    else if (e.type !== undefined && e.type !== 'http' && e.type !== 'streamable-http') out.skipped.push({ name, reason: `has the type ${JSON.stringify(e.type)}, which Keyhole does not know` });
    else if (hasVariables(url)) out.skipped.push({ name, reason: IMPORT_REASONS.variables });
    else addServer(out, url, name, name, isObject(e.headers) && Object.keys(e.headers).length > 0);
  }
  return out;
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

/** One slot per server, for this tab (sessionStorage): two servers' step-ups do not overwrite each other. */
const pendingKey = (serverUrl: string) => `keyhole.pendingCall.v2 ${serverUrl}`;

export function setPendingCall(call: PendingCall): void {
  sessionStorage.setItem(pendingKey(call.serverUrl), JSON.stringify(call));
}

/** The person gave up on the server (Disconnect, Remove): its interrupted call is not run later. */
export function dropPendingCall(serverUrl: string): void {
  sessionStorage.removeItem(pendingKey(serverUrl));
}

export function takePendingCall(serverUrl: string): PendingCall | undefined {
  try {
    const call = JSON.parse(sessionStorage.getItem(pendingKey(serverUrl)) ?? 'null') as PendingCall | null;
    dropPendingCall(serverUrl);
    return call?.serverUrl === serverUrl && typeof call.tool === 'string' && typeof call.args === 'string' ? call : undefined;
  } catch {
    return undefined;
  }
}
