/**
 * The web server configs of docs/hosting.md, run for real: nginx and Caddy serve a build made for
 * the sub-path /keyhole/ and send the headers that build asks for in its own `_headers` file.
 * The markdown must contain each file verbatim. nginx and Caddy must be installed (.ci/run).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, patch, serveDuringTests, startCaddy, startNginx, type Running } from './support/servers.ts';

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

const WHAT = "docs/hosting.md's web server configs";

async function serveWithNginx(dir: string): Promise<Running> {
  const port = await freePort();
  writeFileSync(join(dir, 'keyhole.conf'), patch(readFileSync('docs/snippets/nginx-hosting.conf', 'utf8'), '/srv/keyhole/dist', dist));
  return startNginx(dir, `server {\n      listen 127.0.0.1:${port};\n      include ${join(dir, 'keyhole.conf')};\n    }`, `http://127.0.0.1:${port}/keyhole/`, WHAT);
}

async function serveWithCaddy(dir: string): Promise<Running> {
  const port = await freePort();
  let text = readFileSync('docs/snippets/Caddyfile-hosting', 'utf8');
  text = patch(text, 'example.com {', `http://127.0.0.1:${port} {`);
  text = patch(text, '/srv/keyhole/dist', dist);
  return startCaddy(dir, text, `http://127.0.0.1:${port}/keyhole/`, WHAT);
}

describe.each([
  ['nginx', 'docs/snippets/nginx-hosting.conf', serveWithNginx],
  ['Caddy', 'docs/snippets/Caddyfile-hosting', serveWithCaddy],
] as const)('%s serving a build at /keyhole/ (%s)', (_name, file, start) => {
  const running = serveDuringTests('keyhole-hosting-', start);

  it('is quoted verbatim in docs/hosting.md', () => {
    expect(readFileSync('docs/hosting.md', 'utf8')).toContain(readFileSync(file, 'utf8').trim());
  });

  it('sends the build’s policy on the pages and on the worker script', async () => {
    for (const path of ['', 'index.html', 'callback.html', 'sw.js']) {
      const res = await fetch(running().base + path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toBe(buildCsp);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('serves every file with its type, the worker uncached, hashed assets cached', async () => {
    const sw = await fetch(`${running().base}sw.js`);
    expect(sw.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    expect(sw.headers.get('service-worker-allowed')).toBeNull();
    expect((await fetch(running().base)).headers.get('content-type')).toMatch(/^text\/html/);
    expect((await fetch(`${running().base}manifest.webmanifest`)).headers.get('content-type')).toBe('application/manifest+json');
    const cimd = await fetch(`${running().base}client-metadata.json`);
    expect(cimd.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await cimd.json()) as { client_id: string }).client_id).toBe('https://example.com/keyhole/client-metadata.json');
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    const asset = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)![1]!;
    const res = await fetch(running().base + asset);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d{7,}/);
  });
});
