// A small static file server for the built app (dist/), used by `npm start` and the tests.
// It serves files as a plain static host would: no SPA fallback, `Cache-Control: no-cache` on
// sw.js so browsers look for worker updates, and optional extra JSON routes (the demo's
// demo.json telling the app where the demo MCP server is). With `basePath` the site lives under
// that path, as on GitHub Pages; with `headersFile` it applies the build's `_headers` file the
// way Netlify and Cloudflare Pages do (path patterns with `*`, every matching rule applied).
import { createReadStream, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Reads a `_headers` file: unindented lines are URL path patterns (`*` matches anything),
 * indented `Name: value` lines are headers for the pattern above them.
 * @param {string} text
 * @returns {{ pattern: RegExp, headers: [string, string][] }[]}
 */
export function parseHeadersFile(text) {
  /** @type {{ pattern: RegExp, headers: [string, string][] }[]} */
  const rules = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      const source = line.trim().split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
      rules.push({ pattern: new RegExp(`^${source}$`), headers: [] });
      continue;
    }
    const at = line.indexOf(':');
    if (at < 0 || !rules.length) throw new Error(`_headers: cannot read the line "${line}"`);
    rules.at(-1)?.headers.push([line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim()]);
  }
  return rules;
}

/**
 * @param {{ root: string, port?: number, host?: string, routes?: Record<string, unknown>, basePath?: string, headersFile?: boolean }} options
 * @returns {Promise<{ url: string, origin: string, port: number, requests: { path: string, status: number }[], close: () => Promise<void> }>}
 */
export async function serveStatic({ root, port = 0, host = '127.0.0.1', routes = {}, basePath = '/', headersFile = false }) {
  const base = resolve(root);
  const rules = headersFile ? parseHeadersFile(readFileSync(join(base, '_headers'), 'utf8')) : [];
  /** @type {{ path: string, status: number }[]} every request served, in order */
  const requests = [];
  const server = createServer(async (req, res) => {
    const fullPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    res.on('finish', () => requests.push({ path: fullPath, status: res.statusCode }));
    if (!fullPath.startsWith(basePath)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    for (const rule of rules) {
      if (rule.pattern.test(fullPath)) for (const [name, value] of rule.headers) res.setHeader(name, value);
    }
    const path = `/${fullPath.slice(basePath.length)}`;
    if (path in routes) {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(routes[path]));
      return;
    }
    let file = normalize(join(base, path));
    if (!file.startsWith(base)) {
      res.writeHead(403).end();
      return;
    }
    try {
      let info = await stat(file);
      if (info.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file);
      }
      // Defaults a host would send; the _headers file's values (set above) take precedence.
      const defaults = {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': /(?:sw\.js|\.html|\.webmanifest)$/.test(file) ? 'no-cache' : 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
      };
      for (const [name, value] of Object.entries(defaults)) if (!res.hasHeader(name)) res.setHeader(name, value);
      res.writeHead(200, { 'content-length': info.size });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok(undefined));
  });
  const actual = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  const origin = `http://localhost:${actual}`;
  return {
    url: `${origin}${basePath}`,
    origin,
    port: actual,
    requests,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
