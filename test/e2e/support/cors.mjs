// CORS for the test peers (hostile.mjs, peer.mjs): the app's origin only, the headers Keyhole
// reads exposed, any request header allowed on preflight.

/**
 * Sets the CORS headers for a request from `appOrigin`, and answers its preflight.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {string} appOrigin
 * @returns {boolean} true when the request was a preflight, now answered
 */
export function allowApp(req, res, appOrigin) {
  if (req.headers.origin !== appOrigin) return false;
  res.setHeader('access-control-allow-origin', appOrigin);
  res.setHeader('access-control-expose-headers', 'WWW-Authenticate, Mcp-Session-Id, MCP-Protocol-Version, DPoP-Nonce');
  res.setHeader('vary', 'Origin');
  if (req.method !== 'OPTIONS') return false;
  res.setHeader('access-control-allow-methods', 'GET, POST, DELETE, OPTIONS');
  res.setHeader('access-control-allow-headers', req.headers['access-control-request-headers'] ?? '');
  res.writeHead(204).end();
  return true;
}
