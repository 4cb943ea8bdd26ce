/**
 * Requests from the app to an MCP endpoint the worker holds tokens for. The worker adds
 * `Authorization` itself (oauth4webapi protectedResourceRequest), strips what the page must not
 * set, never follows redirects with credentials, refreshes once on an expired or refused token,
 * and turns 401/403 challenges into connection states. Response bodies, SSE streams included,
 * pass through untouched.
 */
import * as oauth from 'oauth4webapi';
import { addStep, recordFailure, transition } from './connections.ts';
import { authorizationsExhausted, MAX_AUTHORIZATIONS_WITHOUT_SUCCESS, noteStepUp } from './oauth/authorize.ts';
import { challengeOf } from './oauth/challenge.ts';
import { runDiscovery } from './lifecycle.ts';
import { FlowError, isTransient, TimeoutError } from './errors.ts';
import { refused } from './gate.ts';
import { answerInTime } from './late-answer.ts';
import { limitResponse, type Handover } from './response-limit.ts';
import { recordTiming } from './timings.ts';
import { operationOf, type Operation } from './rules/operation.ts';
import { isLoopbackHost } from './rules/urls.ts';
import type { ConnectionRecord, TokenRecord } from './store.ts';
import { currentTokens, dpopFor, refresh, usableAccessToken } from './tokens.ts';

/** Headers a page may never choose for a request the worker authorizes. */
const STRIPPED = ['authorization', 'dpop', 'cookie'];
/** Methods Streamable HTTP uses (MCP H1, legacy GET stream and DELETE). */
const METHODS = ['POST', 'GET', 'DELETE'];
/** Requests that only set up the connection (and the legacy stream), not operations a person asked for. */
const SETUP = /^(?:initialize|notifications\/initialized|server\/discover|GET|DELETE)$/;
/** JSON-RPC notifications (no answer but 202 Accepted, MCP Streamable HTTP). */
const NOTIFICATION = /^notifications\//;
/** A JSON-RPC request body larger than this is refused before it leaves the browser. */
export const MAX_REQUEST_BODY_BYTES = 4_000_000;
/**
 * Set-up, listings, pings and task polls (`tasks/get`, SEP-2663) answer at once on any working server; waiting for their answer
 * (its headers: a stream may then run as long as it likes) is bounded, so a hung server never
 * hangs the page. Operations a person started may take as long as they take: they can cancel.
 */
const BOUNDED = /^(?:initialize|notifications\/initialized|server\/discover|ping|tasks\/get|[a-z]+\/list|[a-z]+\/templates\/list|GET|DELETE)$/;
export const MCP_ANSWER_TIMEOUT_MS = 30_000;
/** An Accept header that takes an event stream. */
const EVENT_STREAM = /\btext\/event-stream\b/i;

export async function proxyMcp(request: Request, conn: ConnectionRecord, background: (p: Promise<unknown>) => void, handover: Handover): Promise<Response> {
  const method = request.method;
  if (!METHODS.includes(method)) {
    return refused(405, `Keyhole only forwards ${METHODS.join(', ')} to MCP servers.`);
  }
  // A plain record, copied in one pass and read from then on: every copy of a Headers object, and
  // a Headers object handed to fetch, cost the worker measurably per call (bench/profile.mjs).
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    if (!STRIPPED.includes(name)) headers[name] = value;
  });
  const shape = unexpectedShape(method, headers);
  if (shape) return refused(415, `Keyhole adds credentials only to MCP requests: ${shape}.`);
  // Buffered so a retry after a refresh can resend it (no streaming uploads over HTTP/1.1 anyway).
  const body = method === 'POST' ? await request.arrayBuffer() : undefined;
  if (body && body.byteLength > MAX_REQUEST_BODY_BYTES) return refused(413, 'The request is larger than Keyhole forwards.');
  const operation = operationOf(method, headers['mcp-method'] ?? null, body);

  const answer = forward(request, conn, headers, body, operation, background, handover);
  // An operation a person started may take long; its answer must begin within Chromium's limit.
  const streamable = method === 'POST' && EVENT_STREAM.test(headers['accept'] ?? '');
  // No waitUntil for it: Chromium stops a worker whose event outlives 5 minutes. While a tab is
  // open, its keep-alive messages keep the worker running (sw-bridge.ts).
  return streamable && !BOUNDED.test(operation.method) ? answerInTime(answer, body) : answer;
}

/** Sends the request with the connection's tokens, refreshing once, and turns challenges into states. */
async function forward(
  request: Request,
  conn: ConnectionRecord,
  headers: Record<string, string>,
  body: ArrayBuffer | undefined,
  operation: Operation,
  background: (p: Promise<unknown>) => void,
  handover: Handover,
): Promise<Response> {
  let tokens: TokenRecord | undefined;
  const held = await currentTokens(conn.key);
  let DPoP: oauth.DPoPHandle | undefined;
  let failure: unknown;
  try {
    tokens = await usableAccessToken(conn);
    DPoP = tokens ? await dpopFor(tokens) : undefined;
  } catch (err) {
    failure = err;
    tokens = undefined;
  }
  if (held && !tokens) {
    // The tokens could not be renewed: the person's request does not go out without them.
    if (await failAuth(conn, failure)) return refused(503, RENEWAL_UNREACHABLE);
    // The page sees a 401 and waits for the authorization failAuth asked for.
    if (!SETUP.test(operation.method)) conn.refusedOperation = operation.described;
    return refused(401, 'The session could not be renewed; authorize again.');
  }
  let response = await send(request, headers, body, tokens, DPoP, operation);
  let decision = await challengeOf(response);
  if (decision.kind === 'nonce' && DPoP) {
    // RFC 9449 §9: the handle cached the server's DPoP-Nonce from this answer; one retry.
    response = await send(request, headers, body, tokens, DPoP, operation);
    decision = await challengeOf(response);
  }

  // A token refreshed just now (by this request or a concurrent one) and refused anyway: a second
  // refresh would not help, and could loop with a server that refuses every token it is given.
  const freshlyRefreshed = !!held && !!tokens && held.accessToken !== tokens.accessToken;
  if (decision.kind === 'authorize' && tokens?.refreshToken && !freshlyRefreshed) {
    // Refused token (expired early, revoked access token): one refresh, one retry.
    try {
      tokens = await refresh(conn, tokens.accessToken);
      DPoP = await dpopFor(tokens);
      response = await send(request, headers, body, tokens, DPoP, operation);
      decision = await challengeOf(response);
    } catch (err) {
      if (await failAuth(conn, err)) return refused(503, RENEWAL_UNREACHABLE);
      tokens = undefined;
    }
  }

  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    const message = 'The MCP server answered with a redirect. Keyhole never follows redirects with credentials; use the final URL of the server instead.';
    addStep(conn, { step: 'mcp', outcome: 'fail', detail: message });
    background(transition(conn, 'error', { error: `MCP request: ${message}` }));
    return refused(502, message);
  }

  switch (decision.kind) {
    case 'authorize': {
      if (tokens) {
        if (!SETUP.test(operation.method)) conn.refusedOperation = operation.described;
        addStep(conn, { step: 'mcp', outcome: 'fail', detail: 'The server refused the token (401) and it could not be refreshed.' });
      } else {
        addStep(conn, {
          step: 'challenge',
          outcome: 'info',
          detail: `The server asked for authorization (401${decision.scope ? `, scope "${decision.scope}"` : ''}${decision.resourceMetadata ? `, resource_metadata ${decision.resourceMetadata}` : ''}).`,
        });
      }
      conn.challenge = {
        ...(decision.resourceMetadata ? { resourceMetadata: decision.resourceMetadata } : {}),
        ...(decision.scope ? { scope: decision.scope } : {}),
      };
      if (tokens && authorizationsExhausted(conn)) {
        const message = `The server refused every fresh token after ${MAX_AUTHORIZATIONS_WITHOUT_SUCCESS} authorizations; Keyhole stopped asking. Press Connect to start over.`;
        background(transition(conn, 'error', { error: `MCP request: ${message}` }));
      } else {
        background(runDiscovery(conn, tokens ? 'The session expired; authorize again.' : 'The server needs authorization.'));
      }
      break;
    }
    case 'step-up': {
      noteStepUp(conn, operation.described, decision.scope);
      addStep(conn, {
        step: 'step-up',
        outcome: 'info',
        detail: `The server needs more scope for ${operation.described} (403 insufficient_scope, scope "${decision.scope ?? ''}"); next authorization asks for ${conn.stepUp?.scopes.join(' ')}.`,
      });
      if (authorizationsExhausted(conn)) {
        const message = `The server kept refusing ${operation.described} for lack of scope after ${MAX_AUTHORIZATIONS_WITHOUT_SUCCESS} authorizations; Keyhole stopped asking (MCP S5). Press Connect to start over.`;
        background(transition(conn, 'error', { error: `Step-up authorization: ${message}` }));
      } else {
        background(transition(conn, 'needs-authorization', { reason: `The server needs more permission for ${operation.described}: ${conn.stepUp?.scopes.join(' ')}.` }));
      }
      break;
    }
    case 'forbidden':
      // Typically the server refusing this app's Origin (MCP H22): nothing authorization can fix.
      break;
    default:
      if (response.ok) {
        // Only the operation that was refused, succeeding, shows that authorizing helped: a
        // server may accept set-up and listings yet refuse every call (conformance
        // auth/scope-retry-limit), and the loop bound (MCP S5) must hold then too.
        const awaited = conn.stepUp?.operation ?? conn.refusedOperation;
        if (!SETUP.test(operation.method) && (!awaited || awaited === operation.described)) {
          conn.authorizationsSinceSuccess = 0;
          delete conn.stepUp;
          delete conn.refusedOperation;
        }
        // A notification's 202 shows nothing about the refused operation: closing a session sends
        // one (notifications/cancelled for its listen stream), and must not undo an error that
        // waits for the person (MCP S5: "Press Connect to start over"), or the page reopens the
        // session, the refused call runs again, and the loop never ends.
        // Nor does another operation that succeeds with the present token end a step-up's wait for
        // the person (a session reopened, a listing): the refused operation still needs the scope.
        const stepUpWaits = conn.state === 'needs-authorization' && !!conn.stepUp;
        if (conn.state !== 'connected' && !NOTIFICATION.test(operation.method) && !stepUpWaits) background(transition(conn, 'connected'));
      }
  }
  return limitResponse(response, (message) => background(recordFailure(conn, new FlowError('mcp', message), 'mcp', 'error')), handover);
}

/** Streamable HTTP's request shapes: JSON-RPC is POSTed as JSON; a GET opens an event stream. */
function unexpectedShape(method: string, headers: Record<string, string>): string | undefined {
  if (method === 'POST' && !/^application\/json\b/i.test(headers['content-type'] ?? '')) {
    return 'MCP messages are POSTed as application/json';
  }
  if (method === 'GET' && !EVENT_STREAM.test(headers['accept'] ?? '')) {
    return 'a GET to an MCP endpoint accepts text/event-stream';
  }
  return undefined;
}

async function send(
  request: Request,
  headers: Record<string, string>,
  body: ArrayBuffer | undefined,
  tokens: TokenRecord | undefined,
  DPoP: oauth.DPoPHandle | undefined,
  operation: Operation,
): Promise<Response> {
  const url = new URL(request.url);
  // Only a bounded operation has a timer of its own; any other follows the page's signal alone.
  const timer = BOUNDED.test(operation.method) ? new AbortController() : undefined;
  const timeout = timer && setTimeout(() => timer.abort(), MCP_ANSWER_TIMEOUT_MS);
  const signal = timer ? AbortSignal.any([request.signal, timer.signal]) : request.signal;
  const init = (method: string, h: Record<string, string>, b: BodyInit | null | undefined): RequestInit => ({
    method,
    headers: h,
    body: b ?? null,
    mode: 'cors',
    credentials: 'omit',
    redirect: 'manual',
    signal,
    // No `cache` override: Chromium bypasses its CORS preflight cache for no-store/no-cache/reload,
    // which would cost a preflight per MCP request (measured by npm run bench).
  });
  try {
    if (!tokens) return await fetch(url, init(request.method, headers, body));
    // What adding the credentials costs the client (for DPoP: the proof), until the request leaves.
    const authStarted = performance.now();
    // oauth4webapi makes the credentials (`Authorization`, and for DPoP the proof) without the page's
    // headers, which it would copy twice more; they join here, none of them a credential (stripped above).
    return await oauth.protectedResourceRequest(tokens.accessToken, request.method, url, undefined, body ?? null, {
      [oauth.customFetch]: (u: string, o: oauth.CustomFetchOptions<string, unknown>) => {
        recordTiming(DPoP ? 'dpop-auth' : 'bearer-auth', performance.now() - authStarted);
        return fetch(u, init(o.method, { ...headers, ...o.headers }, o.body as BodyInit | null));
      },
      [oauth.allowInsecureRequests]: isLoopbackHost(url.hostname),
      // A fresh proof per request (jti, htm, htu, ath) from the connection's key (RFC 9449 §4, §7).
      ...(DPoP ? { DPoP } : {}),
    });
  } catch (err) {
    // A challenge is an answer, not a failure: hand the untouched response back for inspection.
    if (err instanceof oauth.WWWAuthenticateChallengeError) return err.response;
    if (timer?.signal.aborted && !request.signal.aborted) {
      throw new TimeoutError('mcp', `The MCP server did not answer within ${MCP_ANSWER_TIMEOUT_MS / 1000} s (${operation.described}).`);
    }
    throw err;
  } finally {
    clearTimeout(timeout);
  }
}

const RENEWAL_UNREACHABLE = 'The authorization server could not be reached to renew the session; Keyhole tries again by itself.';

/**
 * Records why the tokens could not be made usable. A server that did not answer says nothing
 * about them: they are kept, the connection shows the error, and the card tries again by itself
 * (returns true). Anything else asks for authorization.
 */
async function failAuth(conn: ConnectionRecord, err: unknown): Promise<boolean> {
  const transient = isTransient(err);
  await recordFailure(conn, err, 'refresh', transient ? 'error' : 'needs-authorization');
  return transient;
}
