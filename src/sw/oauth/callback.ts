/**
 * The redirect back from the authorization server. The worker answers the navigation itself:
 * it finds the flow by `state`, checks `state` and `iss` with oauth4webapi (RFC 9207 §2.4,
 * MCP I1–I4) before anything else, and sends the browser at once to an app URL that carries no
 * code. The code is redeemed after that answer, and the checked response is kept with its flow
 * in IndexedDB until the tokens are stored: the browser may stop the worker during the token
 * request, and a navigation waiting on a stopped worker would hang, while a flow kept this way
 * is redeemed again by the next worker (resumeRedemptions).
 */
import * as oauth from 'oauth4webapi';
import { checkTokenResponse, repeatedParameter, scopesBeyond } from '../rules/token-response.ts';
import { addStep, get, ready, recordFailure, transition } from '../connections.ts';
import { appBase } from '../config.ts';
import { FlowError } from '../errors.ts';
import { oauthOptions } from '../net.ts';
import { db, type FlowRecord } from '../store.ts';
import { storeTokens } from '../tokens.ts';
import { ignoreUnrequestedIdToken } from './id-token.ts';
import { clientAuth } from './registration.ts';
import { dpopHandle, storeDpopKey, withNonceRetry } from '../dpop.ts';

export interface AcceptedCallback {
  /** Where to send the browser: the app, never with the code. */
  redirectTo: string;
  /** The code being redeemed; the caller keeps the worker alive for it. */
  redemption?: Promise<void>;
}

const UNKNOWN_STATE =
  'The authorization response did not match any authorization Keyhole started (unknown, expired or already used `state`). Nothing was redeemed; start again from the server card.';

/** Checks a callback URL against its flow and starts redeeming its code. */
export async function acceptCallback(callbackUrl: URL): Promise<AcceptedCallback> {
  await ready();
  const state = callbackUrl.searchParams.getAll('state');
  // Unknown, reused or expired state: no code is redeemed (MCP P6, RFC 10017 §7.4.1.1).
  const claim = state.length === 1 ? await claimFlow(state[0]!, callbackUrl) : undefined;
  if (!claim) return { redirectTo: appUrl({ keyhole_error: UNKNOWN_STATE }) };
  const conn = get(claim.flow.key);
  if (!conn) {
    await deleteFlow(claim.flow.state);
    return { redirectTo: appUrl({ keyhole_error: 'The authorization finished for a server that was removed meanwhile.' }) };
  }
  if ('refused' in claim) {
    await recordFailure(conn, claim.refused, 'callback', 'error');
    return { redirectTo: appUrl({}) };
  }
  addStep(conn, {
    step: 'callback',
    outcome: 'ok',
    detail: `Callback checked: state matches${callbackUrl.searchParams.has('iss') ? `, iss is ${claim.flow.issuer}` : ', no iss (not advertised)'}.`,
  });
  return { redirectTo: appUrl({}), redemption: redeem(claim.flow) };
}

/** Redemptions running in this worker, by state: a flow's code is sent once per worker life. */
const redeeming = new Map<string, Promise<void>>();
let resumed: Promise<void> | undefined;

/**
 * Redeems the codes of flows whose callback arrived but whose tokens never did, because the
 * worker that held them was stopped. Once per worker life: later flows are redeemed as they come.
 */
export function resumeRedemptions(): Promise<void> {
  resumed ??= (async () => {
    await ready();
    const flows = await (await db()).getAll('flows');
    await Promise.all(flows.filter((f) => f.callbackParams !== undefined && !redeeming.has(f.state)).map((f) => redeem(f)));
  })();
  return resumed;
}

function redeem(flow: FlowRecord): Promise<void> {
  let running = redeeming.get(flow.state);
  if (!running) {
    running = exchangeCode(flow).finally(() => redeeming.delete(flow.state));
    redeeming.set(flow.state, running);
  }
  return running;
}

/** The authorization response, checked before anything is sent anywhere; throws a FlowError. */
function checkResponse(flow: FlowRecord, callbackUrl: URL): URLSearchParams {
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
  return params;
}

/** Sends the code to the token endpoint and keeps the tokens; the flow goes only once they are stored. */
async function exchangeCode(flow: FlowRecord): Promise<void> {
  const conn = get(flow.key);
  if (!conn) return deleteFlow(flow.state);
  const client: oauth.Client = { client_id: flow.client.client_id };
  try {
    // Checked again: oauth4webapi redeems only what its own validateAuthResponse returned.
    const params = checkResponse(flow, new URL(flow.callbackParams ?? '', flow.redirectUri));
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
      const answer = await ignoreUnrequestedIdToken(response, flow.scopes, (s) => addStep(conn, s));
      return oauth.processAuthorizationCodeResponse(flow.as, client, answer);
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
    const kept = await storeTokens(conn, flow.issuer, flow.client.client_id, tokens, flow.scopes, {
      ...(bound && flow.dpopKey ? { jkt: flow.dpopKey.jkt } : {}),
    });
    conn.scopesGranted = kept.scope ?? [];
    const extra = scopesBeyond(flow.scopes, kept.scope);
    if (extra.length) {
      conn.warning = `The authorization server granted more than Keyhole asked for: ${extra.join(' ')}. The token has more power than needed; disconnect if you did not expect that.`;
      addStep(conn, { step: 'token', outcome: 'fail', detail: conn.warning });
    }
    addStep(conn, {
      step: 'token',
      outcome: 'ok',
      detail: `Token received: ${kept.tokenType === 'dpop' ? `DPoP-bound to key ${kept.jkt}` : 'Bearer'}, scope ${kept.scope?.join(' ') || '(none stated)'}` +
        `${tokens.expires_in ? `, expires in ${tokens.expires_in} s` : ''}${kept.refreshToken ? ', with a refresh token' : ', no refresh token'}.`,
      // What the token response said, without the tokens themselves (removed by showable).
      document: { ...tokens, refresh_token_held: !!kept.refreshToken },
    });

    await deleteFlow(flow.state);
    await transition(conn, 'connecting');
  } catch (err) {
    // Another worker version (an update switching mid-exchange) finished this flow first: its
    // outcome stands, and this late refusal of the spent code says nothing.
    if (!(await (await db()).get('flows', flow.state))) return;
    // A refused code is spent or expired: this flow cannot be finished, whatever was kept of it.
    await deleteFlow(flow.state);
    await recordFailure(conn, err, 'token', 'error');
  }
}

/**
 * Marks the flow as answered in one transaction, so a state is usable once, once its response
 * passed checkResponse (a flow whose response fails is deleted). Returns undefined for an unknown,
 * expired or already answered state.
 */
async function claimFlow(
  state: string,
  callbackUrl: URL,
): Promise<{ flow: FlowRecord } | { flow: FlowRecord; refused: unknown } | undefined> {
  const d = await db();
  const tx = d.transaction('flows', 'readwrite');
  const flow = await tx.store.get(state);
  const now = Date.now();
  // Expired flows of any connection go too.
  for (const f of await tx.store.getAll()) if (f.expiresAt < now) await tx.store.delete(f.state);
  if (!flow || flow.expiresAt < now || flow.callbackParams !== undefined) {
    await tx.done;
    return undefined;
  }
  let outcome: { flow: FlowRecord } | { flow: FlowRecord; refused: unknown };
  try {
    checkResponse(flow, callbackUrl);
    flow.callbackParams = callbackUrl.search;
    await tx.store.put(flow);
    outcome = { flow };
  } catch (refused) {
    await tx.store.delete(state);
    outcome = { flow, refused };
  }
  await tx.done;
  return outcome;
}

async function deleteFlow(state: string): Promise<void> {
  await (await db()).delete('flows', state);
}

function appUrl(query: Record<string, string>): string {
  const url = new URL(appBase());
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url.href;
}
