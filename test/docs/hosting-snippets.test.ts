/**
 * The web server configs of docs/hosting.md, run for real: nginx and Caddy serve a build made for
 * the sub-path /keyhole/ and send the headers that build asks for in its own `_headers` file.
 * The markdown must contain each file verbatim. nginx and Caddy must be installed (.ci/run).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dist = '';
let buildCsp = '';

beforeAll(() => {
  dist = mkdtempSync(join(tmpdir(), 'keyhole-hosting-dist-'));
  chmodSync(dist, 0o755); // nginx's workers run as another user when started by root
  const r = spawnSync('npm', ['run', '--silent', 'build'], {
    env: { ...process.env, KEYHOLE_OUT_DIR: dist, KEYHOLE_PUBLIC_URL: 'https://example.com/keyhole/' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`build failed: ${r.stdout}${r.stderr}`);
  buildCsp = /Content-Security-Policy: (.*)/.exec(readFileSync(join(dist, '_headers'), 'utf8'))![1]!;
}, 120_000);
afterAll(() => rmSync(dist, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const { port } = s.address() as { port: number };
  await new Promise((ok) => s.close(ok));
  return port;
}

function requireProgram(name: string, versionArg: string): void {
  if (spawnSync(name, [versionArg]).error) {
    throw new Error(`${name} is not installed, so docs/hosting.md's ${name} config cannot be tested. Install it (Debian/Ubuntu: sudo apt-get install -y ${name}), as .ci/run does.`);
  }
}

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

async function startNginx(dir: string): Promise<{ base: string; stop: () => void }> {
  requireProgram('nginx', '-v');
  const port = await freePort();
  writeFileSync(join(dir, 'keyhole.conf'), patch(readFileSync('docs/snippets/nginx-hosting.conf', 'utf8'), '/srv/keyhole/dist', dist));
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${join(dir, t)};`).join(' ');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;\npid ${join(dir, 'nginx.pid')};\nerror_log ${join(dir, 'error.log')};\nevents {}\n` +
      `http {\n  access_log off;\n  ${temp}\n  server {\n    listen 127.0.0.1:${port};\n    include ${join(dir, 'keyhole.conf')};\n  }\n}\n`,
  );
  const proc = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}/keyhole/`;
  await waitForHttp(base, proc, () => readFileSync(join(dir, 'error.log'), 'utf8'));
  return { base, stop: () => proc.kill('SIGQUIT') };
}

async function startCaddy(dir: string): Promise<{ base: string; stop: () => void }> {
  requireProgram('caddy', 'version');
  const port = await freePort();
  let text = readFileSync('docs/snippets/Caddyfile-hosting', 'utf8');
  text = patch(text, 'example.com {', `http://127.0.0.1:${port} {`);
  text = patch(text, '/srv/keyhole/dist', dist);
  writeFileSync(join(dir, 'Caddyfile'), `{\n\tadmin off\n}\n${text}`);
  let output = '';
  const proc = spawn('caddy', ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], {
    env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.on('data', (d) => (output += d));
  proc.stderr?.on('data', (d) => (output += d));
  const base = `http://127.0.0.1:${port}/keyhole/`;
  await waitForHttp(base, proc, () => output);
  return { base, stop: () => proc.kill('SIGTERM') };
}

describe.each([
  ['nginx', 'docs/snippets/nginx-hosting.conf', startNginx],
  ['Caddy', 'docs/snippets/Caddyfile-hosting', startCaddy],
] as const)('%s serving a build at /keyhole/ (%s)', (_name, file, start) => {
  let server: { base: string; stop: () => void };
  let dir = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keyhole-hosting-'));
    server = await start(dir);
  }, 20_000);
  afterAll(() => {
    server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is quoted verbatim in docs/hosting.md', () => {
    expect(readFileSync('docs/hosting.md', 'utf8')).toContain(readFileSync(file, 'utf8').trim());
  });

  it('sends the build’s policy on the pages and on the worker script', async () => {
    for (const path of ['', 'index.html', 'callback.html', 'sw.js']) {
      const res = await fetch(server.base + path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toBe(buildCsp);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('serves every file with its type, the worker uncached, hashed assets cached', async () => {
    const sw = await fetch(`${server.base}sw.js`);
    expect(sw.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    expect(sw.headers.get('service-worker-allowed')).toBeNull();
    expect((await fetch(server.base)).headers.get('content-type')).toMatch(/^text\/html/);
    expect((await fetch(`${server.base}manifest.webmanifest`)).headers.get('content-type')).toBe('application/manifest+json');
    const cimd = await fetch(`${server.base}client-metadata.json`);
    expect(cimd.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await cimd.json()) as { client_id: string }).client_id).toBe('https://example.com/keyhole/client-metadata.json');
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    const asset = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)![1]!;
    const res = await fetch(server.base + asset);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d{7,}/);
  });
});
