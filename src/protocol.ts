/**
 * The one door between the page (src/app) and the service worker (src/sw).
 *
 * The page sends commands; the worker answers with results and broadcasts connection views.
 * Nothing the worker sends can carry a token, refresh token, authorization code, PKCE verifier,
 * client secret or DPoP key: no type below has a field for one. Two commands carry secret
 * material *into* the worker, because the page is where a person types or lands:
 * `connect.settings.clientSecret` (a pre-registered client's secret, typed by the person) and
 * `callback.url` (the fallback for a callback page the worker did not control). The worker
 * never repeats either back.
 */

export type ConnectionState =
  | 'disconnected'
  | 'connecting'
  | 'needs-authorization'
  | 'authorizing'
  | 'connected'
  | 'error';

/** Kinds of token the worker may hold; the value itself never leaves the worker. */
export type TokenKind = 'bearer' | 'dpop';

/** One step of the authorization timeline, safe to show. */
export interface TimelineStep {
  at: number;
  /** Short machine-readable step name, e.g. `prm`, `as-metadata`, `register`, `token`. */
  step: string;
  outcome: 'ok' | 'fail' | 'info';
  /** One human sentence. */
  detail: string;
  /** A URL the step concerned (metadata document, endpoint), never one with a code. */
  url?: string;
  /**
   * The document the step found or sent (metadata, registration, request parameters, token
   * response summary), with every secret-bearing member removed by the worker (`showable`).
   */
  document?: Record<string, unknown>;
  /**
   * How many recorded steps this line stands for, when more than one: the same step repeated
   * in a row (a retried connection attempt), from `at` to `lastAt`; or, on the `left-out` line,
   * the steps left out of a long timeline (its `detail` says so), from `at` to `lastAt`.
   */
  repeat?: number;
  /** With `repeat`: when the last of them was recorded (epoch milliseconds). */
  lastAt?: number;
}

export interface ConnectionView {
  /** The MCP endpoint as the person gave it. */
  serverUrl: string;
  state: ConnectionState;
  /** When `state` is `error`: what failed, which rule, what to do. */
  error?: string;
  /** Why authorization is needed (first time, expired session, step-up …). */
  reason?: string;
  /** Something the person should know that is not an error (a DPoP downgrade, a failed revocation). */
  warning?: string;
  issuer?: string;
  /** How the client was registered at that issuer. */
  registration?: 'pre-registered' | 'metadata-document' | 'dynamic' | 'legacy-dynamic';
  scopesRequested?: string[];
  scopesGranted?: string[];
  tokenKind?: TokenKind;
  /** Epoch milliseconds; the token's expiry, never the token. */
  expiresAt?: number;
  /** Whether a refresh token is held (not its value). */
  canRefresh?: boolean;
  keepSignedIn: boolean;
  /** Where the worker keeps this connection's tokens, in words. */
  storage?: string;
  steps: TimelineStep[];
}

export interface ConnectSettings {
  /** A client the person registered themselves at the authorization server (MCP R7). */
  clientId?: string;
  /** Its secret, if it has one. Goes into the worker and never comes back. */
  clientSecret?: string;
  /** Scopes to request instead of the spec's selection, space separated. */
  scopes?: string;
  /** Persist a Bearer refresh token in IndexedDB (RFC 10017 §8.2 risk, stated in the UI). */
  keepSignedIn: boolean;
}

export type Command =
  | { type: 'connect'; serverUrl: string; settings: ConnectSettings }
  | { type: 'authorize'; serverUrl: string }
  | { type: 'disconnect'; serverUrl: string }
  | { type: 'status' }
  /** Ask the worker to take control of pages it does not control yet (first load, hard reload). */
  | { type: 'claim' }
  /** Sent every few seconds by an open tab so the browser keeps the worker (and its memory) alive. */
  | { type: 'keepalive' }
  /** Fallback for a callback page loaded without the worker in control. */
  | { type: 'callback'; url: string }
  /**
   * The page stopped reading an MCP answer at MAX_MCP_MESSAGE_BYTES (app/limited-fetch.ts): the
   * worker records it on the connection `url` belongs to, as it does for an answer it read itself.
   */
  | { type: 'answer-too-large'; url: string }
  /**
   * To a waiting new version, when the person chose "Reload to update": sent by workbox-window's
   * messageSkipWaiting, hence its spelling. It has no answer.
   */
  | { type: 'SKIP_WAITING' };

export type CommandResult =
  | { ok: true; views: ConnectionView[]; authorizationUrl?: string; redirectTo?: string }
  | { ok: false; error: string; views: ConnectionView[] };

/** Broadcast by the worker to every window it controls whenever a connection changes. */
export interface ViewsMessage {
  type: 'keyhole:views';
  views: ConnectionView[];
}

export function isViewsMessage(data: unknown): data is ViewsMessage {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'keyhole:views';
}

/**
 * The largest single JSON-RPC message Keyhole passes on: a JSON answer, or one server-sent event.
 * Tool results carrying images or audio are a few MB; a server sending more than this in one
 * message is broken or hostile, and the page would have to hold it all in memory to parse it.
 * Whoever holds a message bounds it: the worker what it reads (sw/response-limit.ts), the page
 * the answers that reach it untouched (app/limited-fetch.ts).
 */
export const MAX_MCP_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Why a message was refused for its size, in the words the connection's card shows. */
export function messageTooLarge(perEvent: boolean, max = MAX_MCP_MESSAGE_BYTES): string {
  return perEvent
    ? `the server sent an event larger than ${max} bytes, Keyhole's limit for one MCP message.`
    : `the server's answer is larger than ${max} bytes, Keyhole's limit for one MCP message.`;
}

/** Path of the redirect URI under the app's base, handled by the worker (callback.html is the fallback page). */
export const CALLBACK_PATH = 'callback.html';

/**
 * The port transport (app/port-fetch.ts ↔ sw/port-transport.ts): one MCP HTTP request carried
 * to the worker as a message, with a `MessagePort` for its answer, instead of as a fetch event.
 * The worker treats it exactly as the same request intercepted (gate by the sending client's id,
 * credentials added and stripped, limits); the answer carries only what the page would have seen
 * of the intercepted response: status, the headers CORS exposes, the body.
 */
export interface PortFetchRequest {
  type: 'keyhole:fetch';
  url: string;
  method: string;
  headers: [string, string][];
  /** Transferred, not copied. */
  body?: ArrayBuffer;
}

/** Page → worker on the request's port: the page gave up on the request (its AbortSignal). */
export interface PortFetchAbort {
  type: 'abort';
}

/**
 * Worker → page on the request's port, first: the worker took the request. `life` names a Web
 * Lock this worker instance holds until it stops; the page waits on it, and a request still
 * unanswered when the page is granted that lock was lost with the worker (port-fetch.ts).
 */
export interface PortFetchAccepted {
  type: 'accepted';
  life: string;
}

/** Worker → page on the request's port, once, after `accepted`. */
export type PortFetchAnswer =
  | {
      type: 'response';
      status: number;
      statusText: string;
      headers: [string, string][];
      /** A message the worker read whole (to bound it, response-limit.ts) or a small body of declared length comes as one buffer; an event stream, or anything else, streams (a transferred ReadableStream). */
      body: ArrayBuffer | ReadableStream<Uint8Array> | null;
    }
  /** Not a request the worker adds credentials to: the page sends it as an ordinary fetch. */
  | { type: 'not-ours' }
  /** No HTTP answer (what fetch reports as a TypeError). */
  | { type: 'network-error'; message: string };

export function isPortFetchRequest(data: unknown): data is PortFetchRequest {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'keyhole:fetch';
}
