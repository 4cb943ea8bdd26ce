// A lying server for the bad-input tests: it stands in front of the real demo MCP server and
// authorization server and changes exactly one thing, chosen by `mode`:
//   prm-resource      protected resource metadata names another server as its `resource`
//   issuer-mismatch   it poses as the authorization server but serves the real one's metadata
//                     (whose `issuer` then differs from the URL it was fetched for)
//   no-s256           authorization server metadata without code_challenge_methods_supported
//   iss-mismatch      it poses as the authorization server; the real one answers the
//                     authorization request, so the response's `iss` is not the recorded issuer
import { createServer } from 'node:http';
import { freePort } from '../../../demo/stack.mjs';
import { allowApp } from './cors.mjs';

/**
 * @param {{ mode: 'prm-resource' | 'issuer-mismatch' | 'no-s256' | 'iss-mismatch', port: number, appOrigin: string, mcpUrl: string, issuer: string }} o
 */
export async function startHostile({ mode, port, appOrigin, mcpUrl, issuer }) {
  const origin = `http://localhost:${port}`;
  const url = `${origin}/mcp`;
  /** @type {{ method: string, path: string }[]} */
  const requests = [];

  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', origin).pathname;
    requests.push({ method: req.method ?? '', path });
    if (allowApp(req, res, appOrigin)) return;
    const json = (body) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      if (path === '/mcp') {
        // Forward to the real MCP server; point its challenge at our metadata.
        const chunks = [];
        for await (const c of req) chunks.push(c);
        const headers = { ...req.headers };
        delete headers.host;
        const upstream = await fetch(mcpUrl, {
          method: req.method,
          headers,
          body: req.method === 'POST' ? Buffer.concat(chunks) : undefined,
        });
        const out = {};
        upstream.headers.forEach((v, k) => {
          if (!k.startsWith('access-control-') && k !== 'content-length' && k !== 'content-encoding') out[k] = v;
        });
        if (out['www-authenticate']) {
          out['www-authenticate'] = out['www-authenticate'].replace(
            /resource_metadata="[^"]*"/g,
            `resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`,
          );
        }
        res.writeHead(upstream.status, out);
        res.end(Buffer.from(await upstream.arrayBuffer()));
        return;
      }
      if (path === '/.well-known/oauth-protected-resource/mcp') {
        const real = await (await fetch(new URL('/.well-known/oauth-protected-resource/mcp', mcpUrl))).json();
        if (mode === 'prm-resource') return json({ ...real, resource: 'http://localhost:9/another-server/mcp' });
        return json({ ...real, resource: url, authorization_servers: [origin] });
      }
      if (path === '/.well-known/oauth-authorization-server' || path === '/.well-known/openid-configuration') {
        const real = await (await fetch(`${issuer}/.well-known/oauth-authorization-server`)).json();
        if (mode === 'issuer-mismatch') return json(real);
        if (mode === 'no-s256') {
          const { code_challenge_methods_supported: _dropped, ...rest } = real;
          return json({ ...rest, issuer: origin });
        }
        return json({ ...real, issuer: origin });
      }
      res.writeHead(404).end();
    } catch (err) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end(String(err));
    }
  });
  await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
  return {
    url,
    origin,
    requests,
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok(undefined)); }),
  };
}

export { freePort };
