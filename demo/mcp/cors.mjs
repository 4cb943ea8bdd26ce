// CORS for /mcp (Fetch standard, "CORS protocol"): only the app origins given to
// startMcpServer may read responses; preflights allow the MCP and auth headers.

/** Request headers a browser may send to /mcp (lower case); any `mcp-*` header is allowed too. */
const ALLOWED_REQUEST_HEADERS = [
  'Authorization',
  'DPoP',
  'Content-Type',
  'Accept',
  'Last-Event-ID',
  'MCP-Protocol-Version',
  'Mcp-Session-Id',
  'Mcp-Method',
  'Mcp-Name',
];
const ALLOWED_REQUEST_HEADER_SET = new Set(ALLOWED_REQUEST_HEADERS.map((h) => h.toLowerCase()));
const EXPOSED_HEADERS = 'WWW-Authenticate, Mcp-Session-Id, DPoP-Nonce, MCP-Protocol-Version';
const ALLOWED_METHODS = 'GET, POST, DELETE, OPTIONS';

/** @param {Set<string>} allowedOrigins exact origins */
export function createCors(allowedOrigins) {
  /**
   * @param {string | null} origin
   * @param {Headers} headers
   */
  function addCors(origin, headers) {
    headers.append('Vary', 'Origin');
    if (origin && allowedOrigins.has(origin)) {
      headers.set('Access-Control-Allow-Origin', origin);
      headers.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    }
  }

  /** @param {Request} request */
  function preflight(request) {
    const origin = request.headers.get('origin');
    if (!origin || !allowedOrigins.has(origin)) {
      return new Response(null, { status: 403, headers: { Vary: 'Origin' } });
    }
    const requested = (request.headers.get('access-control-request-headers') ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean);
    const allowed = new Map(ALLOWED_REQUEST_HEADERS.map((h) => [h.toLowerCase(), h]));
    for (const name of requested) {
      const lower = name.toLowerCase();
      if (ALLOWED_REQUEST_HEADER_SET.has(lower) || lower.startsWith('mcp-')) allowed.set(lower, name);
    }
    return new Response(null, {
      status: 204,
      headers: {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': ALLOWED_METHODS,
        'Access-Control-Allow-Headers': [...allowed.values()].join(', '),
        'Access-Control-Expose-Headers': EXPOSED_HEADERS,
        'Access-Control-Max-Age': '600',
        Vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
      },
    });
  }

  return { addCors, preflight };
}
