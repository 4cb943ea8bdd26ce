/// <reference lib="webworker" />
/**
 * Keyhole's service worker: the only place tokens exist. It answers the page's commands,
 * the OAuth callback navigation, and the page's requests to MCP endpoints it holds tokens for.
 */
declare const self: ServiceWorkerGlobalScope;

import { CALLBACK_PATH, isPortFetchRequest, messageTooLarge, type Command, type CommandResult } from '../protocol.ts';
import { forRequestUrl, get, ready, recordFailure, views } from './connections.ts';
import { appBase } from './config.ts';
import { describeError, FlowError } from './errors.ts';
import { authorize, connect, disconnect } from './lifecycle.ts';
import { acceptCallback, resumeRedemptions } from './oauth/callback.ts';
import { answerMcp } from './mcp-answer.ts';
import { answerPortFetch } from './port-transport.ts';
import { serveAppShell } from './shell.ts';
import { serverKey } from './rules/urls.ts';

// No skipWaiting on install: a new version waits until the person chooses to reload (the app
// offers it, see sw-bridge.ts), since switching under a running tool call would cut it. The
// first version activates at once anyway.
self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('message', (event) => {
  if (isPortFetchRequest(event.data)) {
    answerPortFetch(event, event.data);
    return;
  }
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
    case 'answer-too-large': {
      // What the worker records when it stops reading an answer itself (response-limit.ts).
      const conn = forRequestUrl(command.url);
      if (conn) await recordFailure(conn, new FlowError('mcp', messageTooLarge(false)), 'mcp', 'error');
      return { ok: true, views: views() };
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
  event.respondWith(answerMcp(event.request, event.clientId, (p) => keepAlive(event, p), 'fetch-event').then((answer) => answer ?? fetch(event.request)));
});

// After Keyhole's own fetch listener, which answers the callback and MCP traffic first.
serveAppShell();
