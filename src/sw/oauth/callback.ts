/**
 * The redirect back from the authorization server. The worker answers the navigation itself:
 * it finds the flow by `state`, checks `state` and `iss` with oauth4webapi (RFC 9207 §2.4,
 * MCP I1–I4) before anything else, redeems the code, and sends the browser to an app URL
 * that carries no code.
 */
import * as oauth from 'oauth4webapi';
import { checkTokenResponse, repeatedParameter, scopesBeyond } from '../rules/token-response.ts';
import { addStep, get, ready, recordFailure, transition } from '../connections.ts';
import { appBase } from '../config.ts';
import { FlowError } from '../errors.ts';
import { oauthOptions } from '../net.ts';
import { db, type FlowRecord } from '../store.ts';
import { storeTokens } from '../tokens.ts';
import { clientAuth } from './registration.ts';
import { dpopHandle, storeDpopKey, withNonceRetry } from '../dpop.ts';

/** Handles a callback URL; returns where to send the browser next. */
export async function completeAuthorization(callbackUrl: URL): Promise<string> {
  await ready();
  const state = callbackUrl.searchParams.getAll('state');
  const flow = state.length === 1 ? await takeFlow(state[0]!) : undefined;
  if (!flow) {
    // Unknown, reused or expired state: no code is redeemed (MCP P6, RFC 10017 §7.4.1.1).
    return appUrl({
      keyhole_error:
        'The authorization response did not match any authorization Keyhole started (unknown, expired or already used `state`). Nothing was redeemed; start again from the server card.',
    });
  }
  const conn = get(flow.key);
  if (!conn) return appUrl({ keyhole_error: 'The authorization finished for a server that was removed meanwhile.' });

  try {
    const client: oauth.Client = { client_id: flow.client.client_id };
    let params: URLSearchParams;
    try {
      // Checks iss against the issuer recorded when the flow started, then state, and only then
      // reads `error` (MCP I4: an error from an unverified issuer is neither used nor shown).
      params = oauth.validateAuthResponse(flow.as, client, callbackUrl, flow.state);
    } catch (err) {
      if (err instanceof oauth.AuthorizationResponseError) {
        // The server's own words, as text (the page renders every string as text), shortened.
        const said = err.error_description ? `: "${err.error_description.slice(0, 300)}"` : '';
        throw new FlowError(
          'callback',
          err.error === 'access_denied'
            ? `Authorization was denied at the authorization server (access_denied${said}).`
            : `The authorization server returned an error (${err.error}${said}).`,
        );
      }
      throw new FlowError('callback', `The authorization response failed its checks: ${(err as Error).message} (RFC 9207 §2.4, state). Nothing was redeemed.`);
    }
    const repeated = repeatedParameter(callbackUrl.searchParams);
    if (repeated) {
      throw new FlowError('callback', `The authorization response repeats the parameter "${repeated}" (RFC 6749 §3.1: parameters must not be included more than once). Nothing was redeemed.`);
    }
    addStep(conn, { step: 'callback', outcome: 'ok', detail: `Callback checked: state matches${params.has('iss') ? `, iss is ${flow.issuer}` : ', no iss (not advertised)'}.` });

    const DPoP = flow.dpopKey ? dpopHandle(flow.dpopKey) : undefined;
    const tokens = await withNonceRetry(async () => {
      const response = await oauth.authorizationCodeGrantRequest(
        flow.as,
        client,
        clientAuth(flow.client),
        params,
        flow.redirectUri,
        flow.codeVerifier,
        {
          ...oauthOptions(flow.as.token_endpoint!, 'The token endpoint'),
          additionalParameters: { resource: flow.resource },
          ...(DPoP ? { DPoP } : {}),
        },
      );
      return oauth.processAuthorizationCodeResponse(flow.as, client, response);
    });
    checkTokenResponse(tokens, !!DPoP);
    let bound = false;
    delete conn.warning;
    if (flow.dpopKey) {
      // oauth4webapi accepts either type; a Bearer answer to a proof is a downgrade (RFC 9449 §5).
      bound = tokens.token_type.toLowerCase() === 'dpop';
      if (bound) await storeDpopKey(flow.dpopKey);
      else {
        conn.warning =
          'Downgrade: Keyhole asked for a DPoP-bound token but the authorization server issued a Bearer token. It is treated as Bearer: kept in memory only, unless you chose to stay signed in.';
        addStep(conn, { step: 'token', outcome: 'fail', detail: conn.warning });
      }
    }
    if (flow.client.method === 'dynamic') await (await db()).put('clients', flow.client);
    const stored = await storeTokens(conn, flow.issuer, flow.client.client_id, tokens, flow.scopes, {
      ...(bound && flow.dpopKey ? { jkt: flow.dpopKey.jkt } : {}),
    });
    conn.scopesGranted = stored.scope ?? [];
    const extra = scopesBeyond(flow.scopes, stored.scope);
    if (extra.length) {
      conn.warning = `The authorization server granted more than Keyhole asked for: ${extra.join(' ')}. The token has more power than needed; disconnect if you did not expect that.`;
      addStep(conn, { step: 'token', outcome: 'fail', detail: conn.warning });
    }
    addStep(conn, {
      step: 'token',
      outcome: 'ok',
      detail: `Token received: ${stored.tokenType === 'dpop' ? `DPoP-bound to key ${stored.jkt}` : 'Bearer'}, scope ${stored.scope?.join(' ') || '(none stated)'}` +
        `${tokens.expires_in ? `, expires in ${tokens.expires_in} s` : ''}${stored.refreshToken ? ', with a refresh token' : ', no refresh token'}.`,
    });
    await transition(conn, 'connecting');
  } catch (err) {
    await recordFailure(conn, err, 'token', 'error');
  }
  return appUrl({});
}

/** Reads and deletes the flow in one transaction, so a state is usable once. */
async function takeFlow(state: string): Promise<FlowRecord | undefined> {
  const d = await db();
  const tx = d.transaction('flows', 'readwrite');
  const flow = await tx.store.get(state);
  if (flow) await tx.store.delete(state);
  // Expired flows of any connection go too.
  const now = Date.now();
  for (const f of await tx.store.getAll()) if (f.expiresAt < now) await tx.store.delete(f.state);
  await tx.done;
  if (flow && flow.expiresAt < now) return undefined;
  return flow;
}

function appUrl(query: Record<string, string>): string {
  const url = new URL(appBase());
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url.href;
}
