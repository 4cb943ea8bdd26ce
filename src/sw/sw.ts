/// <reference lib="webworker" />
/**
 * Keyhole's service worker: the only place tokens exist. It answers the page's commands,
 * the OAuth callback navigation, and the page's requests to MCP endpoints it holds tokens for.
 */
declare const self: ServiceWorkerGlobalScope;

import { CALLBACK_PATH, type Command, type CommandResult } from '../protocol.ts';
import { addStep, broadcast, forRequestUrl, get, ready, recordFailure, transition, views, withdrawStep } from './connections.ts';
import { diagnoseNoAnswer } from './cors-diagnosis.ts';
import { currentTokens } from './tokens.ts';
import { appBase } from './config.ts';
import { describeError, TimeoutError } from './errors.ts';
import { fromAppPage, managedAuthEndpoint, refused } from './gate.ts';
import { authorize, connect, disconnect } from './lifecycle.ts';
import { acceptCallback, resumeRedemptions } from './oauth/callback.ts';
import { proxyMcp } from './proxy.ts';
import { serveAppShell } from './shell.ts';
import { serverKey } from './rules/urls.ts';
import type { ConnectionRecord } from './store.ts';

// No skipWaiting on install: a new version waits until the person chooses to reload (the app
// offers it, see sw-bridge.ts), since switching under a running tool call would cut it. The
// first version activates at once anyway.
self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('message', (event) => {
  const port = event.ports[0];
  const command = event.data as Command;
  // A code whose redemption a stopped worker left unfinished is redeemed by this one.
  event.waitUntil(resumeRedemptions().catch(() => {}));
  const work = handle(command, (p) => event.waitUntil(p)).then(
    (result) => port?.postMessage(result),
    async (err: unknown) => {
      const result: CommandResult = { ok: false, error: describeError('command', err).message, views: await safeViews() };
      port?.postMessage(result);
    },
  );
  event.waitUntil(work);
});

async function safeViews() {
  try {
    await ready();
    return views();
  } catch {
    return [];
  }
}

async function handle(command: Command, background: (p: Promise<unknown>) => void): Promise<CommandResult> {
  await ready();
  switch (command.type) {
    case 'status':
    case 'keepalive':
      return { ok: true, views: views() };
    case 'claim':
      await self.clients.claim();
      return { ok: true, views: views() };
    case 'connect':
      await connect(command.serverUrl, command.settings);
      return { ok: true, views: views() };
    case 'authorize': {
      const conn = get(serverKey(command.serverUrl));
      if (!conn) return { ok: false, error: 'Unknown server; press Connect first.', views: views() };
      const authorizationUrl = await authorize(conn);
      return { ok: true, views: views(), authorizationUrl };
    }
    case 'disconnect': {
      const conn = get(serverKey(command.serverUrl));
      const warning = conn ? await disconnect(conn) : undefined;
      return warning ? { ok: false, error: warning, views: views() } : { ok: true, views: views() };
    }
    case 'callback': {
      const url = new URL(command.url);
      if (!isCallbackUrl(url)) return { ok: false, error: 'Not a Keyhole callback URL.', views: views() };
      const { redirectTo, redemption } = await acceptCallback(url);
      if (redemption) background(redemption);
      return { ok: true, views: views(), redirectTo };
    }
    case 'SKIP_WAITING':
      // The person pressed "Reload to update": this waiting version takes over.
      await self.skipWaiting();
      return { ok: true, views: views() };
  }
}

function callbackFailure(message: string): string {
  const to = new URL(appBase());
  to.searchParams.set('keyhole_error', `The authorization response could not be processed: ${message}`);
  return to.href;
}

/**
 * A request that got no HTTP answer at all: the browser does not say why, so the worker finds
 * out as far as it may (cors-diagnosis.ts), showing that it is looking meanwhile.
 */
async function reportUnreachable(conn: ConnectionRecord, request: Request): Promise<void> {
  const tokens = await currentTokens(conn.key);
  const sent: string[] = tokens ? ['authorization', ...(tokens.tokenType === 'dpop' ? ['dpop'] : [])] : [];
  request.headers.forEach((_value, name) => sent.push(name));
  const looking = addStep(conn, { step: 'mcp', outcome: 'info', detail: `No answer from ${conn.serverUrl}; finding out why.` });
  await broadcast();
  const found = await diagnoseNoAnswer(conn.serverUrl, sent);
  // "Finding out why" gives way to what was found: a retried attempt is then one repeated line.
  withdrawStep(conn, looking);
  // A CORS refusal needs the server's operator, and http spoken where https was asked for needs
  // another URL: the card does not retry those. Anything else may pass, and the card retries it.
  const message =
    found.kind === 'cors' || found.kind === 'tls' ? found.message : `${conn.serverUrl} could not be reached from the browser: ${found.message}`;
  addStep(conn, { step: 'mcp', outcome: 'fail', detail: message });
  await transition(conn, 'error', { error: `MCP request: ${message}` });
}

/** Keeps the worker alive for `p`; once the event is over (a streamed body), `p` simply runs. */
function keepAlive(event: FetchEvent, p: Promise<unknown>): void {
  try {
    event.waitUntil(p);
  } catch {
    // InvalidStateError: the response was already handed over.
  }
}

function isCallbackUrl(url: URL): boolean {
  const expected = new URL(CALLBACK_PATH, appBase());
  return url.origin === expected.origin && url.pathname === expected.pathname;
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.mode === 'navigate') {
    if (isCallbackUrl(url) && (url.searchParams.has('state') || url.searchParams.has('code') || url.searchParams.has('error'))) {
      // 303: the browser fetches the app with GET and the code never reaches a document. The
      // answer does not wait for the token request (see oauth/callback.ts).
      event.stopImmediatePropagation();
      event.respondWith(
        acceptCallback(url)
          .then(({ redirectTo, redemption }) => {
            if (redemption) keepAlive(event, redemption);
            return redirectTo;
          })
          .catch((err: unknown) => callbackFailure(describeError('callback', err).message))
          .then((to) => Response.redirect(to, 303)),
      );
    }
    return;
  }
  // Same-origin requests are the app's own files: the precache (or the network) serves them.
  if (url.origin === self.location.origin) return;
  // Cross-origin requests may be MCP traffic; which endpoints are ours is in IndexedDB, so the
  // decision is taken inside respondWith (it must be called synchronously).
  event.stopImmediatePropagation();
  event.respondWith(
    (async () => {
      await ready();
      const managed = managedAuthEndpoint(event.request.url);
      if (managed) {
        return refused(403, `Keyhole's service worker alone talks to this authorization server's ${managed}; page requests to it are refused.`);
      }
      const conn = forRequestUrl(event.request.url);
      // Not ours, or not from the app's own page: forwarded exactly as sent, with no credentials.
      if (!conn || !(await fromAppPage(event.clientId))) return fetch(event.request);
      try {
        return await proxyMcp(event.request, conn, (p) => keepAlive(event, p));
      } catch (err) {
        if (err instanceof TimeoutError) {
          event.waitUntil(recordFailure(conn, err, 'mcp', 'error'));
          return refused(504, err.message);
        }
        if (!event.request.signal.aborted) event.waitUntil(reportUnreachable(conn, event.request));
        throw err;
      }
    })(),
  );
});

// After Keyhole's own fetch listener, which answers the callback and MCP traffic first.
serveAppShell();
