/**
 * The reverse proxy snippets of docs/operators.md, run for real: nginx and Caddy, each started with
 * its snippet in front of a tiny MCP-like upstream, answer Keyhole's preflight and put the CORS
 * headers Keyhole needs on every answer. The markdown must contain each file verbatim.
 *
 * nginx and Caddy must be installed (.ci/run installs both). A missing one fails, it never skips.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const { port } = s.address() as AddressInfo;
  await new Promise((ok) => s.close(ok));
  return port;
}

function requireProgram(name: string, versionArg: string): void {
  const r = spawnSync(name, [versionArg], { encoding: 'utf8' });
  if (r.error) {
    throw new Error(
      `${name} is not installed, so the ${name} snippet of docs/operators.md cannot be tested. ` +
        `Install it (Debian/Ubuntu: sudo apt-get install -y ${name}), as .ci/run does.`,
    );
  }
}

/** Replaces `from` with `to` in the snippet, failing when the snippet no longer has it. */
function patch(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`The snippet no longer contains "${from}"; update this test.`);
  return text.replaceAll(from, to);
}

async function waitForHttp(url: string, proc: ChildProcess, log: () => string): Promise<void> {
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`exited with ${proc.exitCode}: ${log()}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((ok) => setTimeout(ok, 100));
    }
  }
  throw new Error(`did not answer at ${url} within 10 s: ${log()}`);
}

interface Proxy {
  base: string;
  stop: () => void;
}

async function startNginx(dir: string, upstreamPort: number): Promise<Proxy> {
  requireProgram('nginx', '-v');
  const port = await freePort();
  let snippet = readFileSync('docs/snippets/nginx-mcp.conf', 'utf8');
  snippet = patch(snippet, 'listen 8080;', `listen 127.0.0.1:${port};`);
  snippet = patch(snippet, 'http://127.0.0.1:3000', `http://127.0.0.1:${upstreamPort}`);
  writeFileSync(join(dir, 'mcp.conf'), snippet);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${join(dir, t)};`).join('\n    ');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;\npid ${join(dir, 'nginx.pid')};\nerror_log ${join(dir, 'error.log')};\nevents {}\n` +
      `http {\n    access_log off;\n    ${temp}\n    include ${join(dir, 'mcp.conf')};\n}\n`,
  );
  const proc = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(base, proc, () => readFileSync(join(dir, 'error.log'), 'utf8'));
  return { base, stop: () => proc.kill('SIGQUIT') };
}

async function startCaddy(dir: string, upstreamPort: number): Promise<Proxy> {
  requireProgram('caddy', 'version');
  const port = await freePort();
  let snippet = readFileSync('docs/snippets/Caddyfile-mcp', 'utf8');
  snippet = patch(snippet, 'mcp.example.com {', `http://127.0.0.1:${port} {`);
  snippet = patch(snippet, 'reverse_proxy 127.0.0.1:3000', `reverse_proxy 127.0.0.1:${upstreamPort}`);
  writeFileSync(join(dir, 'Caddyfile'), `{\n\tadmin off\n}\n${snippet}`);
  let output = '';
  const proc = spawn('caddy', ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], {
    env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.on('data', (d) => (output += d));
  proc.stderr?.on('data', (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(base, proc, () => output);
  return { base, stop: () => proc.kill('SIGTERM') };
}

let up: Server;
beforeAll(async () => {
  up = await upstream();
});
afterAll(() => up?.close());

describe.each([
  ['nginx', 'docs/snippets/nginx-mcp.conf', startNginx],
  ['Caddy', 'docs/snippets/Caddyfile-mcp', startCaddy],
] as const)('%s in front of an MCP server (%s)', (_name, file, start) => {
  let proxy: Proxy;
  let dir = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keyhole-proxy-'));
    proxy = await start(dir, (up.address() as AddressInfo).port);
  }, 20_000);
  afterAll(() => {
    proxy?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is quoted verbatim in docs/operators.md', () => {
    expect(readFileSync('docs/operators.md', 'utf8')).toContain(readFileSync(file, 'utf8').trim());
  });

  it('answers the preflight of an authorized MCP request from the Keyhole origin itself', async () => {
    const before = seen.length;
    for (const method of ['POST', 'GET', 'DELETE']) {
      const res = await fetch(`${proxy.base}/mcp`, {
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
    const pre = await fetch(`${proxy.base}/mcp`, {
      method: 'OPTIONS',
      headers: { origin: OTHER, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const res = await fetch(`${proxy.base}/mcp`, { method: 'POST', headers: { origin: OTHER } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('puts the headers on the 401 challenge, once, and passes Origin on', async () => {
    const res = await fetch(`${proxy.base}/mcp`, { method: 'POST', headers: { origin: KEYHOLE, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('resource_metadata=');
    expect(res.headers.get('access-control-allow-origin')).toBe(KEYHOLE); // not "*, https://…"
    const exposed = (res.headers.get('access-control-expose-headers') ?? '').toLowerCase();
    for (const h of MUST_EXPOSE) expect(exposed).toContain(h);
    expect(seen.at(-1)).toMatchObject({ method: 'POST', path: '/mcp', origin: KEYHOLE });
  });

  it('passes an authorized answer through with its session and nonce headers', async () => {
    const res = await fetch(`${proxy.base}/mcp`, {
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
    const res = await fetch(`${proxy.base}/mcp`, { headers: { origin: KEYHOLE, authorization: 'Bearer t', accept: 'text/event-stream' } });
    expect(res.headers.get('access-control-allow-origin')).toBe(KEYHOLE);
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('data: first');
    expect(Date.now() - started).toBeLessThan(1000); // the upstream ends the stream after 1.5 s
    await reader.cancel();
  });

  it('lets any origin read the protected resource metadata', async () => {
    const res = await fetch(`${proxy.base}/.well-known/oauth-protected-resource/mcp`, { headers: { origin: OTHER } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(((await res.json()) as { resource: string }).resource).toBe('https://mcp.example.com/mcp');
    const pre = await fetch(`${proxy.base}/.well-known/oauth-protected-resource/mcp`, {
      method: 'OPTIONS',
      headers: { origin: OTHER, 'access-control-request-method': 'GET', 'access-control-request-headers': 'mcp-protocol-version' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect((pre.headers.get('access-control-allow-headers') ?? '').toLowerCase()).toContain('mcp-protocol-version');
  });
});
