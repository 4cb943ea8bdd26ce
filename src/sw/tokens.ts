/// <reference lib="webworker" />
/**
 * Token custody. Tokens live in the worker's memory (token-memory.ts); they are written to IndexedDB only as
 * the storage policy allows (RFC 10017 §8.2: IndexedDB is readable by any script of the
 * origin). Bearer tokens persist only when the person ticked "Keep me signed in"; DPoP-bound
 * tokens (a later step) persist by default because a thief cannot use them elsewhere.
 */
import * as oauth from 'oauth4webapi';
import { checkTokenResponse } from './rules/token-response.ts';
import { FlowError, isQuotaError, STORAGE_FULL } from './errors.ts';
import { oauthOptions } from './net.ts';
import { splitScope } from './rules/scopes.ts';
import { db, type ConnectionRecord, type TokenRecord } from './store.ts';
import { clientFor } from './oauth/registration.ts';
import { ignoreUnrequestedIdToken } from './oauth/id-token.ts';
import { addStep, addWarning, broadcast } from './connections.ts';
import { handleForTokens, withNonceRetry } from './dpop.ts';
import { loadedFromDisk, memory, refreshing } from './token-memory.ts';

/**
 * Refresh this long before expiry so a request never leaves with a token about to lapse; for
 * short-lived tokens at most half their lifetime, or every request would refresh.
 */
export const REFRESH_MARGIN_MS = 30_000;

function refreshMargin(t: TokenRecord): number {
  if (!t.expiresAt || !t.obtainedAt) return REFRESH_MARGIN_MS;
  return Math.min(REFRESH_MARGIN_MS, (t.expiresAt - t.obtainedAt) / 2);
}

function expiresSoon(t: TokenRecord): boolean {
  return !!t.expiresAt && t.expiresAt - Date.now() < refreshMargin(t);
}


function persistable(rec: TokenRecord, keepSignedIn: boolean): boolean {
  return rec.tokenType === 'dpop' || keepSignedIn;
}



/** Stores a fresh token response: memory always, IndexedDB as the policy allows. */
export async function storeTokens(
  conn: ConnectionRecord,
  issuer: string,
  clientId: string,
  res: oauth.TokenEndpointResponse,
  requested: string[] | undefined,
  extra: {
    /** On refresh: the refresh token just used, kept when the response carries no new one (RFC 6749 §6). */
    previousRefreshToken?: string;
    /** Thumbprint of the DPoP key the tokens are bound to; without it they are Bearer whatever the response says. */
    jkt?: string;
  } = {},
): Promise<TokenRecord> {
  const previousRefreshToken = extra.previousRefreshToken;
  const tokenType = extra.jkt && res.token_type.toLowerCase() === 'dpop' ? 'dpop' : 'bearer';
  const refreshToken = res.refresh_token ?? previousRefreshToken;
  const rec: TokenRecord = {
    key: conn.key,
    issuer,
    clientId,
    tokenType,
    accessToken: res.access_token,
    ...(refreshToken ? { refreshToken } : {}),
    obtainedAt: Date.now(),
    ...(typeof res.expires_in === 'number' ? { expiresAt: Date.now() + res.expires_in * 1000 } : {}),
    ...(res.scope !== undefined ? { scope: splitScope(res.scope) } : requested ? { scope: requested } : {}),
    ...(tokenType === 'dpop' ? { jkt: extra.jkt } : {}),
  };
  // Write before dropping the old set in memory: a worker stopped mid-way never ends up with
  // neither the rotated nor the old refresh token (OAuth 2.1 §4.3.1 rotation).
  const d = await db();
  if (!persistable(rec, conn.keepSignedIn)) await d.delete('tokens', conn.key);
  else {
    try {
      await d.put('tokens', rec);
    } catch (err) {
      if (!isQuotaError(err)) throw err;
      // Storage full: the tokens still work, from memory; a rotated-away copy must not stay
      // on disk for a later worker to send (and the server to take as a replay).
      await d.delete('tokens', conn.key);
      const warning = `Token kept in memory only: ${STORAGE_FULL.replace(/ and try again\.$/, '.')} It is lost when the browser stops Keyhole’s worker.`;
      addWarning(conn, warning);
      addStep(conn, { step: 'token', outcome: 'fail', detail: warning });
    }
  }
  memory.set(conn.key, rec);
  loadedFromDisk.add(conn.key);
  return rec;
}

/** Current tokens of a connection, from memory or, after a worker restart, from IndexedDB. */
export async function currentTokens(key: string): Promise<TokenRecord | undefined> {
  const inMemory = memory.get(key);
  if (inMemory || loadedFromDisk.has(key)) return inMemory;
  const stored = await (await db()).get('tokens', key);
  loadedFromDisk.add(key);
  if (stored) memory.set(key, stored);
  return stored;
}

export async function dropTokens(key: string): Promise<void> {
  memory.delete(key);
  loadedFromDisk.add(key);
  await (await db()).delete('tokens', key);
}

/**
 * The DPoP handle for DPoP-bound tokens. A stored key that no longer matches the thumbprint the
 * tokens were bound to ends the session rather than signing with a substituted key.
 */
export async function dpopFor(tokens: TokenRecord): Promise<oauth.DPoPHandle | undefined> {
  if (tokens.tokenType !== 'dpop') return undefined;
  const handle = tokens.jkt ? await handleForTokens(tokens.key, tokens.jkt) : undefined;
  if (!handle) {
    await dropTokens(tokens.key);
    throw new FlowError('dpop', 'The stored DPoP key does not match the key the tokens were bound to (it was changed or lost); authorize again.');
  }
  return handle;
}


/**
 * Runs `fn` under a Web Lock, so that an old and a new worker version (during an update) never
 * spend one refresh token twice. An engine without Web Locks runs it directly: within one worker
 * the `refreshing` map already makes one refresh of many callers.
 */
function exclusively<T>(name: string, fn: () => Promise<T>): Promise<T> {
  return 'locks' in navigator ? (navigator.locks.request(name, { mode: 'exclusive' }, fn) as Promise<T>) : fn();
}

/**
 * An access token to use now: the held one, or a refreshed one when it is about to expire.
 * Undefined when there is none and none can be had without the person.
 */
export async function usableAccessToken(conn: ConnectionRecord): Promise<TokenRecord | undefined> {
  const t = await currentTokens(conn.key);
  if (!t) return undefined;
  if (expiresSoon(t) && t.refreshToken) {
    return refresh(conn, t.accessToken);
  }
  return t;
}

/**
 * Refreshes once for all callers (single flight in this worker, and a Web Lock across worker
 * versions). `staleAccessToken` is the token the caller saw refused or expiring; if another
 * caller already replaced it, the newer token is returned without a second refresh.
 */
export function refresh(conn: ConnectionRecord, staleAccessToken: string): Promise<TokenRecord> {
  const inFlight = refreshing.get(conn.key);
  if (inFlight) return inFlight;
  const locked = async (): Promise<TokenRecord> =>
    exclusively(`keyhole-refresh:${conn.key}`, async () => {
      // A persisted copy is never older than memory (storeTokens writes it first), and another
      // worker version may have rotated it, so prefer it.
      const latest = (await (await db()).get('tokens', conn.key)) ?? (await currentTokens(conn.key));
      if (!latest) throw new FlowError('refresh', 'The session ended; authorize again.');
      if (latest.accessToken !== staleAccessToken && !expiresSoon(latest)) {
        return latest;
      }
      if (!latest.refreshToken) throw new FlowError('refresh', 'The access token expired and no refresh token was issued; authorize again.');
      const discovery = conn.discovery;
      if (!discovery) throw new FlowError('refresh', 'The connection lost its discovery record; authorize again.');
      const { client, auth } = await clientFor(conn, discovery.issuer);
      const as = discovery.as;
      const DPoP = await dpopFor(latest);
      const refreshToken = latest.refreshToken;
      let result: oauth.TokenEndpointResponse;
      try {
        result = await withNonceRetry(async () => {
          const response = await oauth.refreshTokenGrantRequest(as, client, auth, refreshToken, {
            ...oauthOptions(as.token_endpoint!, 'The token endpoint'),
            // RFC 8707 §2.2 / MCP T1: the resource goes on refresh requests too.
            additionalParameters: { resource: discovery.resource },
            ...(DPoP ? { DPoP } : {}),
          });
          // The scopes of the grant: an ID token on refresh is checked only for an OpenID grant.
          const answer = await ignoreUnrequestedIdToken(response, latest.scope, (s) => addStep(conn, s));
          const refreshed = await oauth.processRefreshTokenResponse(as, client, answer);
          checkTokenResponse(refreshed, !!DPoP);
          return refreshed;
        });
      } catch (err) {
        if (err instanceof oauth.ResponseBodyError && err.error === 'invalid_grant') {
          await dropTokens(conn.key);
          throw new FlowError('refresh', 'The authorization server no longer accepts the refresh token (invalid_grant); authorize again.');
        }
        throw err;
      }
      if (latest.jkt && result.token_type.toLowerCase() !== 'dpop') {
        await dropTokens(conn.key);
        throw new FlowError('refresh', 'The authorization server answered a DPoP refresh with a Bearer token (a downgrade); authorize again.');
      }
      const stored = await storeTokens(conn, discovery.issuer, client.client_id, result, latest.scope, {
        ...(latest.refreshToken ? { previousRefreshToken: latest.refreshToken } : {}),
        ...(latest.jkt ? { jkt: latest.jkt } : {}),
      });
      // Tabs show the new expiry (never the token).
      await broadcast();
      return stored;
    });
  const run = locked().finally(() => refreshing.delete(conn.key));
  refreshing.set(conn.key, run);
  return run;
}
