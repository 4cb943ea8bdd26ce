// CORS for the test peers (hostile.mjs, peer.mjs): the app's origin only, the headers Keyhole
// reads exposed, any request header allowed on preflight.

/**
 * A misconfigured server's CORS (header names in lower case):
 *   noAllowOrigin   no Access-Control-Allow-Origin at all
 *   refuseHeaders   a preflight that leaves out these request headers
 *   allowHeaders    a preflight that allows these request headers only, whatever is asked: the
 *                   Python MCP SDK README's Starlette CORSMiddleware, which lists none (Starlette
 *                   still allows the CORS-safelisted ones, Content-Type among them)
 *   exposeHeaders   these response headers exposed instead of the ones Keyhole reads
 * @typedef {{ noAllowOrigin?: boolean, refuseHeaders?: string[], allowHeaders?: string[], exposeHeaders?: string[] }} CorsFlaw
 */

/**
 * Sets the CORS headers for a request from `appOrigin`, and answers its preflight. `flaw`
 * makes a misconfigured server (see CorsFlaw).
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {string} appOrigin
 * @param {CorsFlaw} [flaw]
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
  res.setHeader('access-control-expose-headers', flaw.exposeHeaders?.join(', ') ?? 'WWW-Authenticate, Mcp-Session-Id, MCP-Protocol-Version, DPoP-Nonce');
  res.setHeader('vary', 'Origin');
  if (req.method !== 'OPTIONS') return false;
  res.setHeader('access-control-allow-methods', 'GET, POST, DELETE, OPTIONS');
  const asked = (req.headers['access-control-request-headers'] ?? '').split(',').map((h) => h.trim().toLowerCase());
  const allowed = asked.filter((h) => h && !flaw.refuseHeaders?.includes(h) && (!flaw.allowHeaders || flaw.allowHeaders.includes(h)));
  res.setHeader('access-control-allow-headers', allowed.join(', '));
  res.writeHead(204).end();
  return true;
}
