/**
 * Build-time settings shared by the page and worker builds.
 * - KEYHOLE_PUBLIC_URL: where this deployment will live (origin and base path, https). When set,
 *   the build publishes our Client ID Metadata Document at `<public URL>client-metadata.json`,
 *   and that URL is the client ID (MCP R4/R5).
 * - KEYHOLE_CIMD_URL: a client ID URL to use without publishing a document (the conformance
 *   suite compares it and never fetches it).
 */
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';
import { frameSource, sandboxUrl } from './sandbox-build.ts';

export const CIMD_FILE = 'client-metadata.json';

function publicUrl(): URL | undefined {
  const raw = process.env.KEYHOLE_PUBLIC_URL;
  if (!raw) return undefined;
  const url = new URL(raw.endsWith('/') ? raw : `${raw}/`);
  if (url.protocol !== 'https:') throw new Error(`KEYHOLE_PUBLIC_URL must be https (got ${raw}).`);
  return url;
}

export function cimdUrl(): string {
  if (process.env.KEYHOLE_CIMD_URL) return process.env.KEYHOLE_CIMD_URL;
  const base = publicUrl();
  return base ? new URL(CIMD_FILE, base).href : '';
}

export function buildDefines(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return {
    __KEYHOLE_CIMD_URL__: JSON.stringify(cimdUrl()),
    __KEYHOLE_VERSION__: JSON.stringify(pkg.version),
    __KEYHOLE_SANDBOX_URL__: JSON.stringify(sandboxUrl()?.href ?? ''),
  };
}

/** Emits the Client ID Metadata Document when the build knows its public URL. */
export function clientMetadataDocument(): Plugin {
  return {
    name: 'keyhole-client-metadata',
    generateBundle() {
      const base = publicUrl();
      if (!base) return;
      const doc = {
        client_id: new URL(CIMD_FILE, base).href,
        client_name: 'Keyhole',
        client_uri: base.href,
        logo_uri: new URL('icons/keyhole-192.png', base).href,
        redirect_uris: [new URL('callback.html', base).href],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
        application_type: 'web',
      };
      this.emitFile({ type: 'asset', fileName: CIMD_FILE, source: `${JSON.stringify(doc, null, 2)}\n` });
    },
  };
}

/**
 * The Content Security Policy of every page (MCP X6, RFC 10017 §5): nothing inline, nothing
 * evaluated, Trusted Types required with only Lit's policy and ours. `connect-src` allows https
 * anywhere (MCP servers are whatever the person adds) and http on loopback for development.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  // Audio from a server's inline base64 (src/app/content/media.ts); never a remote URL.
  "media-src 'self' data:",
  "connect-src 'self' https: http://localhost:* http://127.0.0.1:*",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  // MCP Apps run in frames of the sandbox origin only (KEYHOLE_SANDBOX_URL); without it, no frame.
  `frame-src ${frameSource()}`,
  "require-trusted-types-for 'script'",
  'trusted-types lit-html keyhole',
].join('; ');

/**
 * The policy as a meta tag in every page (static hosts that set no headers), and `_headers` for
 * hosts that honour that file: the same policy plus what only a header can say (frame-ancestors),
 * and the worker script never cached, so updates are found. The worker's own CSP comes only from
 * the headers of sw.js (Service Workers §Content Security Policy).
 */
export function securityHeaders(): Plugin {
  return {
    name: 'keyhole-security-headers',
    transformIndexHtml() {
      return [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }];
    },
    generateBundle() {
      // Netlify and Cloudflare Pages match these paths from the site root.
      const at = publicUrl()?.pathname ?? '/';
      const headers = [
        `${at}*`,
        `  Content-Security-Policy: ${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`,
        '  X-Content-Type-Options: nosniff',
        '  Referrer-Policy: no-referrer',
        `${at}sw.js`,
        '  Cache-Control: no-cache',
        `${at}manifest.webmanifest`,
        '  Content-Type: application/manifest+json',
        `${at}${CIMD_FILE}`,
        '  Content-Type: application/json',
        // Authorization servers fetch it from their own back end; a browser-based one may not.
        '  Access-Control-Allow-Origin: *',
        '',
      ].join('\n');
      this.emitFile({ type: 'asset', fileName: '_headers', source: headers });
    },
  };
}
