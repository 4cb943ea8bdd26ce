// CORS for the test peers (hostile.mjs, peer.mjs): the app's origin only, the headers Keyhole
// reads exposed, any request header allowed on preflight.

/**
 * Sets the CORS headers for a request from `appOrigin`, and answers its preflight. `flaw`
 * makes a misconfigured server: no Access-Control-Allow-Origin at all, or a preflight that
 * leaves out some request headers (lower case).
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {string} appOrigin
 * @param {{ noAllowOrigin?: boolean, refuseHeaders?: string[] }} [flaw]
 * @returns {boolean} true when the request was a preflight, now answered
 */
export function allowApp(req, res, appOrigin, flaw = {}) {
  if (req.headers.origin !== appOrigin) return false;
  if (flaw.noAllowOrigin) {
    if (req.method !== 'OPTIONS') return false;
    res.writeHead(204).end();
    return true;
  }
  res.setHeader('access-control-allow-origin', appOrigin);
  res.setHeader('access-control-expose-headers', 'WWW-Authenticate, Mcp-Session-Id, MCP-Protocol-Version, DPoP-Nonce');
  res.setHeader('vary', 'Origin');
  if (req.method !== 'OPTIONS') return false;
  res.setHeader('access-control-allow-methods', 'GET, POST, DELETE, OPTIONS');
  const asked = (req.headers['access-control-request-headers'] ?? '').split(',').map((h) => h.trim().toLowerCase());
  res.setHeader('access-control-allow-headers', asked.filter((h) => h && !flaw.refuseHeaders?.includes(h)).join(', '));
  res.writeHead(204).end();
  return true;
}
