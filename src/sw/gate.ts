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
import { endpointKey } from './rules/urls.ts';

/**
 * Verdicts already reached, by client id. A client id names one environment (one document) for
 * its whole life, and what the gate reads of it never changes: its type, its frame type and its
 * creation URL (Service Workers §4.2 Client.url; history.pushState does not alter it). So a
 * verdict stays true, and the hot path skips `clients.get`, a round trip to the browser process.
 */
const verdicts = new Map<string, boolean>();
/** Enough for every tab a person keeps open; past it the oldest verdicts are asked again. */
const MAX_VERDICTS = 256;

/** Whether the request comes from one of the app's own pages, as a top-level window. */
export async function fromAppPage(clientId: string): Promise<boolean> {
  if (!clientId) return false;
  const known = verdicts.get(clientId);
  if (known !== undefined) return known;
  const verdict = isAppWindow(await self.clients.get(clientId));
  // An unknown id may be a client not yet visible to clients.get: ask again next time.
  if (verdict !== undefined) {
    if (verdicts.size >= MAX_VERDICTS) verdicts.delete(verdicts.keys().next().value!);
    verdicts.set(clientId, verdict);
  }
  return verdict ?? false;
}

function isAppWindow(client: Client | undefined): boolean | undefined {
  if (!client) return undefined;
  if (client.type !== 'window') return false;
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
  let key: string | undefined;
  for (const rec of all()) {
    const as = rec.discovery?.as;
    if (!as) continue;
    for (const name of MANAGED) {
      const endpoint = as[name];
      if (typeof endpoint === 'string' && (key ??= endpointKey(url)) === endpointKey(endpoint)) return name;
    }
  }
  return undefined;
}

/** An answer the worker makes itself, in place of forwarding a request. */
export function refused(status: number, message: string): Response {
  return new Response(JSON.stringify({ error: message }), { status, headers: { 'content-type': 'application/json' } });
}
