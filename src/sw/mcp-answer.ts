/// <reference lib="webworker" />
/**
 * What the worker answers to a page request for an MCP endpoint, whichever way it came: as a
 * fetch event (sw.ts) or over the port transport (port-transport.ts). One function, so the two
 * paths gate, add credentials and fail exactly alike.
 */
import { addStep, broadcast, forRequestUrl, ready, recordFailure, transition, withdrawStep } from './connections.ts';
import { diagnoseNoAnswer } from './cors-diagnosis.ts';
import { TimeoutError } from './errors.ts';
import { fromAppPage, managedAuthEndpoint, refused } from './gate.ts';
import { proxyMcp } from './proxy.ts';
import type { Handover } from './response-limit.ts';
import type { ConnectionRecord } from './store.ts';
import { currentTokens } from './tokens.ts';

/**
 * The worker's answer to `request` from client `clientId`, or undefined when the request is not
 * one it acts on (not an endpoint it holds a connection for, or not from the app's own page):
 * the caller then lets it go out exactly as sent, with no credentials.
 */
export async function answerMcp(
  request: Request,
  clientId: string,
  keepAlive: (p: Promise<unknown>) => void,
  handover: Handover,
): Promise<Response | undefined> {
  await ready();
  const managed = managedAuthEndpoint(request.url);
  if (managed) {
    return refused(403, `Keyhole's service worker alone talks to this authorization server's ${managed}; page requests to it are refused.`);
  }
  const conn = forRequestUrl(request.url);
  if (!conn || !(await fromAppPage(clientId))) return undefined;
  try {
    return await proxyMcp(request, conn, keepAlive, handover);
  } catch (err) {
    if (err instanceof TimeoutError) {
      keepAlive(recordFailure(conn, err, 'mcp', 'error'));
      return refused(504, err.message);
    }
    if (!request.signal.aborted) keepAlive(reportUnreachable(conn, request));
    throw err;
  }
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
