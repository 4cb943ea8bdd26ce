/// <reference lib="webworker" />
/**
 * Which page requests the worker acts on. Credentials are added only for the app's own
 * top-level pages (never `about:blank`, `blob:`, `srcdoc` or other frames, which same-origin
 * script could create to borrow the worker's tokens), and page code may not reach the
 * authorization server endpoints the worker manages (it would let an injected script run a
 * flow of its own beside the worker's).
 */
declare const self: ServiceWorkerGlobalScope;

import { all } from './connections.ts';
import { appBase } from './config.ts';
import { isSameEndpoint } from './rules/urls.ts';

/** Whether the request comes from one of the app's own pages, as a top-level window. */
export async function fromAppPage(clientId: string): Promise<boolean> {
  if (!clientId) return false;
  const client = await self.clients.get(clientId);
  if (!client || client.type !== 'window') return false;
  if ((client as WindowClient).frameType !== 'top-level') return false;
  return client.url.startsWith(appBase());
}

/** Endpoints only the worker talks to: codes, tokens, client registrations. */
const MANAGED = [
  'token_endpoint',
  'registration_endpoint',
  'revocation_endpoint',
  'introspection_endpoint',
  'pushed_authorization_request_endpoint',
] as const;

/** The authorization server endpoint `url` is, when the worker manages one for a connection. */
export function managedAuthEndpoint(url: string): string | undefined {
  for (const rec of all()) {
    const as = rec.discovery?.as;
    if (!as) continue;
    for (const name of MANAGED) {
      const endpoint = as[name];
      if (typeof endpoint === 'string' && isSameEndpoint(url, endpoint)) return name;
    }
  }
  return undefined;
}

/** An answer the worker makes itself, in place of forwarding a request. */
export function refused(status: number, message: string): Response {
  return new Response(JSON.stringify({ error: message }), { status, headers: { 'content-type': 'application/json' } });
}
