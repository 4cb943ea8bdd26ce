/**
 * The Content Security Policy an MCP App runs under, built from its resource's `_meta.ui.csp`
 * (MCP Apps SEP-1865, "UI Resource Format", "Host Behavior" and "Content Security Policy
 * Enforcement"): only the domains the server declared, nothing when it declared nothing. The
 * sandbox proxy (`sandbox/proxy.ts`) writes it into the app's document; the host shows it and
 * logs it (the spec's audit trail). Shared by both so they can never disagree.
 */
import type { McpUiResourceCsp } from '@modelcontextprotocol/ext-apps/app-bridge';

export interface AppCsp {
  /** The policy, one line. */
  policy: string;
  /** Declared entries left out because they are not origins (each with the reason). */
  rejected: string[];
}

/**
 * One CSP host-source as the spec's examples write them: `https://host`, `https://*.host`,
 * `wss://host:port`, or loopback http for development. Anything else (a bare `*`, a keyword, a
 * path, a `;` that would start a new directive) is refused rather than passed into the policy.
 */
const HOST_SOURCE = /^(https|wss):\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?$/;
const LOOPBACK_SOURCE = /^(http|ws):\/\/(localhost|127\.0\.0\.1)(:\d{1,5})?$/;

export function checkDomain(entry: unknown): string | undefined {
  if (typeof entry !== 'string') return 'not a string';
  const d = entry.trim().toLowerCase().replace(/\/$/, '');
  if (HOST_SOURCE.test(d) || LOOPBACK_SOURCE.test(d)) return undefined;
  return 'not an https/wss origin (a wildcard may only lead a host name)';
}

function domains(list: unknown, rejected: string[], field: string): string[] {
  if (!Array.isArray(list)) return [];
  const kept: string[] = [];
  for (const entry of list as unknown[]) {
    const why = checkDomain(entry);
    if (why) rejected.push(`${field}: ${JSON.stringify(entry)} (${why})`);
    else kept.push((entry as string).trim().toLowerCase().replace(/\/$/, ''));
  }
  return [...new Set(kept)];
}

/**
 * The policy for one app. `'self'` is left out on purpose: the app's document has an opaque
 * origin (its frame has no allow-same-origin), so nothing but what was declared is allowed.
 */
export function buildAppCsp(csp: McpUiResourceCsp | undefined): AppCsp {
  const rejected: string[] = [];
  const resource = domains(csp?.resourceDomains, rejected, 'resourceDomains');
  const connect = domains(csp?.connectDomains, rejected, 'connectDomains');
  const frame = domains(csp?.frameDomains, rejected, 'frameDomains');
  const base = domains(csp?.baseUriDomains, rejected, 'baseUriDomains');
  const list = (items: string[], none = "'none'") => (items.length ? items.join(' ') : none);
  const withResources = (first: string) => [first, ...resource].join(' ');
  const policy = [
    "default-src 'none'",
    withResources("script-src 'unsafe-inline'"),
    withResources("style-src 'unsafe-inline'"),
    withResources('img-src data:'),
    withResources('media-src data:'),
    `font-src ${list(resource)}`,
    `connect-src ${list(connect)}`,
    `frame-src ${list(frame)}`,
    "object-src 'none'",
    `base-uri ${list(base)}`,
    "form-action 'none'",
  ].join('; ');
  return { policy, rejected };
}

/**
 * The app's HTML with its policy as the first element of the document, before any of the app's
 * own markup can run (a meta policy applies from where it stands, HTML §4.2.5.3). A doctype is
 * kept in front so that the document stays in standards mode.
 */
export function withPolicy(html: string, policy: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${policy.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">`;
  const doctype = /^\s*<!doctype[^>]*>/i.exec(html);
  if (doctype) return `${doctype[0]}${meta}${html.slice(doctype[0].length)}`;
  return `<!DOCTYPE html>${meta}${html}`;
}
