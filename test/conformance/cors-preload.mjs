// CORS for the conformance suite's mock servers (they send none).
// Loaded into the conformance CLI with `node --import ./cors-preload.mjs`.
//
// Every server created through http.createServer (Express's app.listen and the
// suite's raw http servers alike) gets a wrapped `emit('request')`:
//   - a CORS preflight (OPTIONS + Access-Control-Request-Method) is answered
//     here with 204 and never reaches the scenario, so it is not logged as a
//     check;
//   - every other request that carries an Origin gets that origin reflected and
//     the headers an MCP client must read exposed.
// The URLs stay exactly as the suite publishes them and the browser still
// enforces CORS, so a client that e.g. cannot read WWW-Authenticate would fail.
import http from 'node:http';

const EXPOSE = [
  'WWW-Authenticate',
  'Mcp-Session-Id',
  'Mcp-Protocol-Version',
  'DPoP-Nonce',
  'Last-Event-ID',
  'Location',
].join(', ');

function addCors(req, res) {
  const origin = req.headers.origin;
  if (!origin) return false;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Expose-Headers', EXPOSE);
  if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers',
      req.headers['access-control-request-headers'] || '*');
    res.setHeader('Access-Control-Max-Age', '600');
    res.statusCode = 204;
    res.end();
    return true; // handled: the scenario never sees the preflight
  }
  return false;
}

const originalCreateServer = http.createServer;

http.createServer = function createServerWithCors(...args) {
  const server = originalCreateServer.apply(this, args);
  const originalEmit = server.emit;
  server.emit = function emitWithCors(event, ...rest) {
    if (event === 'request') {
      const [req, res] = rest;
      if (addCors(req, res)) return true;
    }
    return originalEmit.call(this, event, ...rest);
  };
  return server;
};
