/**
 * URL rules the worker applies before it talks to anything a server told it about.
 * Pure functions: no fetch, no storage.
 */

/** Loopback hosts where plain http is tolerated for development (OAuth 2.1 §1.5, MCP C3). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1') return true;
  return /^127(?:\.\d{1,3}){3}$/.test(h);
}

export class UrlRuleError extends Error {
  override name = 'UrlRuleError';
}

/**
 * Parses `value` as an endpoint the client will call or navigate to and checks its scheme:
 * https everywhere, http only on loopback (MCP C1/C3, P10). Everything else (javascript:,
 * data:, file:, …) is refused. Userinfo in the URL is refused too: it has no place in OAuth
 * endpoints and is a classic phishing vector.
 */
export function checkEndpointUrl(value: unknown, what: string): URL {
  if (typeof value !== 'string' || value === '') {
    throw new UrlRuleError(`${what} is missing or not a string`);
  }
  // Before parsing: `localhost:4375/mcp` parses as the scheme `localhost:`, and `example.com/mcp`
  // does not parse at all; either way the person left out the scheme, and can be told so.
  const suggested = suggestEndpointUrl(value);
  if (suggested) {
    throw new UrlRuleError(`${what} has no scheme (https://, or http:// on loopback): did you mean ${truncate(suggested)}?`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UrlRuleError(`${what} is not a valid absolute URL: ${truncate(value)}`);
  }
  if (url.username || url.password) {
    throw new UrlRuleError(`${what} must not contain user info: ${truncate(value)}`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:') {
    if (isLoopbackHost(url.hostname)) return url;
    throw new UrlRuleError(`${what} uses http:// off loopback (${url.host}); only https:// is allowed there`);
  }
  throw new UrlRuleError(`${what} uses the scheme ${url.protocol}, only https:// (or http:// on loopback) is allowed`);
}

/**
 * `host[:port][/path…]`: a host name with a dot, `localhost`, an IPv4 address or a bracketed
 * IPv6 address, or any name followed by a port; then the end, a path, a query or a fragment.
 * A scheme such as `javascript:` or `data:` is never followed by digits and a slash or the end,
 * so it is not taken for a host with a port.
 */
const SCHEMELESS = /^(?:\/\/)?((?:localhost|\[[0-9a-f:.]+\]|\d{1,3}(?:\.\d{1,3}){3}|[a-z0-9-]+(?:\.[a-z0-9-]+)+)(?::\d{1,5})?|[a-z0-9-]+:\d{1,5})(?=$|[/?#])/i;

/**
 * The address meant when `input` is an endpoint typed without its scheme
 * (`localhost:4375/mcp`, `example.com/mcp`, `//host/mcp`): `http://` on a loopback host (the
 * only place plain http is allowed, MCP C3), `https://` anywhere else. `undefined` when the
 * input has a scheme already, or does not look like an address at all.
 */
export function suggestEndpointUrl(input: string): string | undefined {
  const value = input.trim();
  const m = SCHEMELESS.exec(value);
  if (!m) return undefined;
  const rest = value.replace(/^\/\//, '');
  let url: URL;
  try {
    url = new URL(`http://${rest}`);
  } catch {
    return undefined;
  }
  if (url.username || url.password) return undefined;
  return `${isLoopbackHost(url.hostname) ? 'http' : 'https'}://${rest}`;
}

/**
 * The key a connection is known by: the MCP endpoint with its fragment removed. Scheme and
 * host are lowercased by the URL parser (RFC 3986 §6.2.2.1), which RFC 8707 canonical URIs expect.
 */
export function serverKey(serverUrl: string): string {
  const url = checkEndpointUrl(serverUrl, 'The MCP server URL');
  url.hash = '';
  return url.href;
}

/**
 * True when `requestUrl` is exactly the MCP endpoint `serverUrl`: same origin and same path.
 * Tokens are bound to one endpoint, not to an origin: two MCP servers may share an origin
 * under different paths, each with its own authorization server (MCP N2, U4).
 */
export function isSameEndpoint(requestUrl: string | URL, serverUrl: string | URL): boolean {
  return endpointKey(String(requestUrl)) === endpointKey(String(serverUrl));
}

/**
 * What makes two URLs the same endpoint (isSameEndpoint): origin and path, as one string. The
 * worker matches every page request against every connection and every managed authorization
 * server endpoint, so each distinct URL string is parsed once, not per request.
 */
export function endpointKey(url: string): string {
  let key = endpointKeys.get(url);
  if (key === undefined) {
    const parsed = new URL(url);
    // A space occurs in neither an origin nor a (percent-encoded) path.
    key = `${parsed.origin} ${parsed.pathname}`;
    if (endpointKeys.size >= MAX_ENDPOINT_KEYS) endpointKeys.clear();
    endpointKeys.set(url, key);
  }
  return key;
}
const endpointKeys = new Map<string, string>();
/** Endpoints and the request URLs a page uses are few; past this the memo starts over. */
const MAX_ENDPOINT_KEYS = 512;

/**
 * Whether protected resource metadata claiming `claimed` may describe the MCP endpoint
 * `serverUrl`. RFC 9728 §3.3 asks for an exact match; MCP servers discovered through the root
 * well-known URL commonly publish their origin or a parent path instead (MCP N4), so a claimed
 * resource on the same origin whose path is a whole-segment prefix of the endpoint's path is
 * accepted. Anything on another origin is refused (conformance `auth/resource-mismatch`).
 */
export function resourceCovers(claimed: string, serverUrl: string): boolean {
  let c: URL;
  let s: URL;
  try {
    c = new URL(claimed);
    s = new URL(serverUrl);
  } catch {
    return false;
  }
  if (c.hash || c.search) return false;
  if (c.origin !== s.origin) return false;
  if (c.pathname === s.pathname) return true;
  const prefix = c.pathname.endsWith('/') ? c.pathname : `${c.pathname}/`;
  return s.pathname.startsWith(prefix);
}

function truncate(s: string, n = 120): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
