/**
 * What the page's commands do to a connection: connect, discover, authorize, disconnect.
 */
import type { ConnectSettings } from '../protocol.ts';
import { addStep, broadcast, forget, get, recordFailure, save, transition } from './connections.ts';
import { describeError } from './errors.ts';
import { startAuthorization } from './oauth/authorize.ts';
import { discover } from './oauth/discovery.ts';
import { revokeTokens } from './oauth/revocation.ts';
import { splitScope } from './rules/scopes.ts';
import { serverKey } from './rules/urls.ts';
import { deleteConnectionEverywhere, type ConnectionRecord } from './store.ts';
import { forgetTokens } from './token-memory.ts';
import { currentTokens } from './tokens.ts';

/** Registers (or updates) a connection so the worker starts handling its endpoint. */
export async function connect(serverUrl: string, settings: ConnectSettings): Promise<ConnectionRecord> {
  const key = serverKey(serverUrl);
  const existing = get(key);
  const clientId = settings.clientId?.trim();
  const rec: ConnectionRecord = existing ?? { key, serverUrl, keepSignedIn: settings.keepSignedIn, state: 'connecting', steps: [] };
  rec.serverUrl = serverUrl;
  rec.keepSignedIn = settings.keepSignedIn;
  const scopes = splitScope(settings.scopes);
  if (scopes.length) rec.configuredScopes = scopes;
  else delete rec.configuredScopes;
  if (clientId) {
    const sameClient = rec.preRegistered?.clientId === clientId;
    rec.preRegistered = {
      clientId,
      ...(settings.clientSecret ? { clientSecret: settings.clientSecret } : sameClient && rec.preRegistered?.clientSecret ? { clientSecret: rec.preRegistered.clientSecret } : {}),
      ...(sameClient && rec.preRegistered?.issuer ? { issuer: rec.preRegistered.issuer } : {}),
    };
  } else {
    delete rec.preRegistered;
  }
  if (!existing) addStep(rec, { step: 'connect', outcome: 'info', detail: `Connecting to ${serverUrl}.` });
  const tokens = await currentTokens(key);
  if (rec.state !== 'connected' || !tokens) {
    // Tokens survive only as the storage policy allows; without them the page's first request
    // will meet a 401 and discovery starts from there.
    rec.state = 'connecting';
  }
  delete rec.error;
  // Connect is the person starting over: the loop bound (MCP S5) starts again too.
  delete rec.authorizationsSinceSuccess;
  delete rec.stepUp;
  delete rec.refusedOperation;
  await save(rec);
  await broadcast();
  return rec;
}

/** Runs discovery after a 401 and leaves the connection waiting for the person to authorize. */
export async function runDiscovery(conn: ConnectionRecord, reason: string): Promise<void> {
  try {
    conn.discovery = await discover(conn.serverUrl, conn.challenge ?? {}, (s) => addStep(conn, s));
    await transition(conn, 'needs-authorization', { reason });
  } catch (err) {
    delete conn.discovery;
    await recordFailure(conn, err, 'prm', 'error');
  }
}

/** Prepares the authorization request; the page navigates to the URL returned. */
export async function authorize(conn: ConnectionRecord): Promise<string> {
  try {
    const url = await startAuthorization(conn);
    await transition(conn, 'authorizing');
    return url;
  } catch (err) {
    throw await recordFailure(conn, err, 'authorize', 'error');
  }
}

/**
 * Revokes what the authorization server offers to revoke (RFC 7009: refresh token first, which
 * ends the grant, then the access token), then forgets everything about the connection.
 */
export async function disconnect(conn: ConnectionRecord): Promise<string | undefined> {
  let warning: string | undefined;
  const tokens = await currentTokens(conn.key);
  const as = conn.discovery?.as;
  if (tokens && as?.revocation_endpoint) {
    try {
      await revokeTokens(conn, tokens);
    } catch (err) {
      warning = `Revocation failed (${describeError('revoke', err).message}); the tokens were forgotten here but may stay valid at the server until they expire.`;
    }
  } else if (tokens) {
    warning = 'The authorization server offers no revocation endpoint; the tokens were forgotten here but stay valid there until they expire.';
  }
  await deleteConnectionEverywhere(conn.key);
  forgetTokens(conn.key);
  forget(conn.key);
  await broadcast();
  return warning;
}

