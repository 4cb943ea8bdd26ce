/**
 * The MCP Apps sandbox origin, a build-time setting beside KEYHOLE_PUBLIC_URL:
 * - KEYHOLE_SANDBOX_URL: where the sandbox proxy site (built into `<outDir>-sandbox/`) is
 *   published: another origin than Keyhole's (MCP Apps SEP-1865, "Sandbox proxy": the host and the
 *   sandbox MUST have different origins). https, or http on loopback for development. Unset: the
 *   app says Apps are off, and Keyhole's CSP allows no frame at all.
 */
import { resolve } from 'node:path';
import { build, type Plugin } from 'vite';

/**
 * Ports browsers refuse to load (the Fetch standard's "bad port" list): Firefox and WebKit show
 * nothing in a frame of such a port. 4190 (ManageSieve) caught us once.
 */
const BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137,
  139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723,
  2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

export function sandboxUrl(): URL | undefined {
  const raw = process.env.KEYHOLE_SANDBOX_URL;
  if (!raw) return undefined;
  const url = new URL(raw.endsWith('/') ? raw : `${raw}/`);
  const loopback = url.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(url.hostname);
  if (url.protocol !== 'https:' && !loopback) throw new Error(`KEYHOLE_SANDBOX_URL must be https, or http on loopback (got ${raw}).`);
  if (url.port && BAD_PORTS.has(Number(url.port))) throw new Error(`KEYHOLE_SANDBOX_URL uses port ${url.port}, which browsers refuse to load (the Fetch standard's bad ports); choose another.`);
  const app = process.env.KEYHOLE_PUBLIC_URL;
  if (app && new URL(app).origin === url.origin) throw new Error('KEYHOLE_SANDBOX_URL must be another origin than KEYHOLE_PUBLIC_URL.');
  return url;
}

/** Keyhole's `frame-src`: the sandbox origin only, or no frame at all. */
export function frameSource(): string {
  return sandboxUrl()?.origin ?? "'none'";
}

/** Where the sandbox site is written: beside the app's own output folder. */
export function sandboxOutDir(appOutDir: string): string {
  return process.env.KEYHOLE_SANDBOX_OUT_DIR ?? `${appOutDir}-sandbox`;
}

/** The sandbox site's `_headers` (Netlify, Cloudflare Pages): framed by Keyhole only when its origin is known. */
function sandboxHeaders(hostOrigin: string): string {
  return [
    '/*',
    `  Content-Security-Policy: object-src 'none'; form-action 'none'${hostOrigin ? `; frame-ancestors ${hostOrigin}` : ''}`,
    '  X-Content-Type-Options: nosniff',
    '  Referrer-Policy: no-referrer',
    '',
  ].join('\n');
}

/** After the page build, builds the sandbox proxy site (sandbox/) on its own, when it is configured. */
export function sandboxSite(appOutDir: string): Plugin {
  return {
    name: 'keyhole-sandbox-site',
    apply: 'build',
    async closeBundle() {
      if (!sandboxUrl()) return;
      const publicUrl = process.env.KEYHOLE_PUBLIC_URL;
      const hostOrigin = publicUrl ? new URL(publicUrl).origin : '';
      const root = resolve(import.meta.dirname, '../sandbox');
      await build({
        configFile: false,
        root,
        base: './',
        logLevel: 'warn',
        define: { __KEYHOLE_HOST_ORIGIN__: JSON.stringify(hostOrigin) },
        plugins: [
          {
            name: 'keyhole-sandbox-headers',
            generateBundle() {
              this.emitFile({ type: 'asset', fileName: '_headers', source: sandboxHeaders(hostOrigin) });
            },
          },
        ],
        build: { outDir: resolve(import.meta.dirname, '..', sandboxOutDir(appOutDir)), emptyOutDir: true, target: 'es2023' },
      });
    },
  };
}
