/**
 * The reverse proxy snippets of docs/operators.md, run for real: nginx and Caddy, each started with
 * its snippet in front of a tiny MCP-like upstream, answer Keyhole's preflight and put the CORS
 * headers Keyhole needs on every answer. The markdown must contain each file verbatim.
 *
 * nginx and Caddy must be installed (.ci/run installs both). A missing one fails, it never skips.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, patch, serveDuringTests, startCaddy, startNginx, type Running } from './support/servers.ts';

const KEYHOLE = 'https://keyhole.example';
const OTHER = 'https://elsewhere.example';
const MUST_ALLOW = ['authorization', 'dpop', 'content-type', 'mcp-protocol-version', 'mcp-session-id', 'last-event-id'];
const MUST_EXPOSE = ['www-authenticate', 'mcp-session-id', 'mcp-protocol-version', 'dpop-nonce'];

/** What the upstream saw, to check that preflights stay at the proxy and Origin is passed on. */
const seen: { method: string; path: string; origin?: string }[] = [];

/**
 * A stand-in for an MCP server: 401 with a challenge without a token, 200 with a session with one,
 * an event stream on GET, metadata at the well-known URL. It sets `Access-Control-Allow-Origin: *`
 * itself and refuses OPTIONS with 401, as servers that put authentication before CORS do.
 */
function upstream(): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    seen.push({ method: req.method ?? '', path, ...(req.headers.origin ? { origin: req.headers.origin } : {}) });
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (path.startsWith('/.well-known/oauth-protected-resource')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ resource: 'https://mcp.example.com/mcp', authorization_servers: ['https://auth.example.com'] }));
      return;
    }
    if (!req.headers.authorization) {
      res.writeHead(401, { 'www-authenticate': 'Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp"' }).end();
      return;
    }
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('data: first\n\n');
      setTimeout(() => res.end('data: last\n\n'), 1500);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'session-1', 'mcp-protocol-version': '2025-11-25', 'dpop-nonce': 'n1' });
    res.end('{"jsonrpc":"2.0","id":1,"result":{}}');
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

const WHAT = 'the reverse proxy snippets of docs/operators.md';

async function proxyWithNginx(dir: string, upstreamPort: number): Promise<Running> {
  const port = await freePort();
  let snippet = readFileSync('docs/snippets/nginx-mcp.conf', 'utf8');
  snippet = patch(snippet, 'listen 8080;', `listen 127.0.0.1:${port};`);
  snippet = patch(snippet, 'http://127.0.0.1:3000', `http://127.0.0.1:${upstreamPort}`);
  writeFileSync(join(dir, 'mcp.conf'), snippet);
  return startNginx(dir, `include ${join(dir, 'mcp.conf')};`, `http://127.0.0.1:${port}`, WHAT);
}

async function proxyWithCaddy(dir: string, upstreamPort: number): Promise<Running> {
  const port = await freePort();
  let snippet = readFileSync('docs/snippets/Caddyfile-mcp', 'utf8');
  snippet = patch(snippet, 'mcp.example.com {', `http://127.0.0.1:${port} {`);
  snippet = patch(snippet, 'reverse_proxy 127.0.0.1:3000', `reverse_proxy 127.0.0.1:${upstreamPort}`);
  return startCaddy(dir, snippet, `http://127.0.0.1:${port}`, WHAT);
}

let up: Server;
beforeAll(async () => {
  up = await upstream();
});
afterAll(() => up?.close());

describe.each([
  ['nginx', 'docs/snippets/nginx-mcp.conf', proxyWithNginx],
  ['Caddy', 'docs/snippets/Caddyfile-mcp', proxyWithCaddy],
] as const)('%s in front of an MCP server (%s)', (_name, file, start) => {
  const running = serveDuringTests('keyhole-proxy-', (dir) => start(dir, (up.address() as { port: number }).port));

  it('is quoted verbatim in docs/operators.md', () => {
    expect(readFileSync('docs/operators.md', 'utf8')).toContain(readFileSync(file, 'utf8').trim());
  });

  it('answers the preflight of an authorized MCP request from the Keyhole origin itself', async () => {
    const before = seen.length;
    for (const method of ['POST', 'GET', 'DELETE']) {
      const res = await fetch(`${running().base}/mcp`, {
        method: 'OPTIONS',
        headers: { origin: KEYHOLE, 'access-control-request-method': method, 'access-control-request-headers': MUST_ALLOW.join(',') },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(KEYHOLE);
      expect(res.headers.get('access-control-allow-methods')).toContain(method);
      const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
      for (const h of MUST_ALLOW) expect(allowed).toContain(h);
    }
    expect(seen.slice(before).filter((r) => r.method === 'OPTIONS')).toEqual([]);
  });

  it('allows no other origin', async () => {
    const pre = await fetch(`${running().base}/mcp`, {
      method: 'OPTIONS',
      headers: { origin: OTHER, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const res = await fetch(`${running().base}/mcp`, { method: 'POST', headers: { origin: OTHER } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('puts the headers on the 401 challenge, once, and passes Origin on', async () => {
    const res = await fetch(`${running().base}/mcp`, { method: 'POST', headers: { origin: KEYHOLE, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('resource_metadata=');
    expect(res.headers.get('access-control-allow-origin')).toBe(KEYHOLE); // not "*, https://…"
    const exposed = (res.headers.get('access-control-expose-headers') ?? '').toLowerCase();
    for (const h of MUST_EXPOSE) expect(exposed).toContain(h);
    expect(seen.at(-1)).toMatchObject({ method: 'POST', path: '/mcp', origin: KEYHOLE });
  });

  it('passes an authorized answer through with its session and nonce headers', async () => {
    const res = await fetch(`${running().base}/mcp`, {
      method: 'POST',
      headers: { origin: KEYHOLE, authorization: 'Bearer t', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(KEYHOLE);
    expect(res.headers.get('mcp-session-id')).toBe('session-1');
    expect(res.headers.get('dpop-nonce')).toBe('n1');
  });

  it('streams events as they are written', async () => {
    const started = Date.now();
    const res = await fetch(`${running().base}/mcp`, { headers: { origin: KEYHOLE, authorization: 'Bearer t', accept: 'text/event-stream' } });
    expect(res.headers.get('access-control-allow-origin')).toBe(KEYHOLE);
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('data: first');
    expect(Date.now() - started).toBeLessThan(1000); // the upstream ends the stream after 1.5 s
    await reader.cancel();
  });

  it('lets any origin read the protected resource metadata', async () => {
    const res = await fetch(`${running().base}/.well-known/oauth-protected-resource/mcp`, { headers: { origin: OTHER } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(((await res.json()) as { resource: string }).resource).toBe('https://mcp.example.com/mcp');
    const pre = await fetch(`${running().base}/.well-known/oauth-protected-resource/mcp`, {
      method: 'OPTIONS',
      headers: { origin: OTHER, 'access-control-request-method': 'GET', 'access-control-request-headers': 'mcp-protocol-version' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect((pre.headers.get('access-control-allow-headers') ?? '').toLowerCase()).toContain('mcp-protocol-version');
  });
});
