/**
 * Starts an authorization request: client, PKCE S256, state, resource and scopes, with the
 * flow record kept in the worker's store until the callback (MCP P1–P9, RFC 7636, RFC 8707).
 */
import * as oauth from 'oauth4webapi';
import { addStep, save } from '../connections.ts';
import { redirectUri } from '../config.ts';
import { FlowError } from '../errors.ts';
import { initialScopes, joinScope, stepUpScopes } from '../rules/scopes.ts';
import { checkEndpointUrl } from '../rules/urls.ts';
import { db, FLOW_TTL_MS, type ConnectionRecord } from '../store.ts';
import { obtainClient } from './registration.ts';
import { newDpopKey, wantsDpop } from '../dpop.ts';

/**
 * At most this many authorizations without one accepted request in between (MCP S5/S6: retry
 * "no more than a few times"; the conformance suite allows three in all).
 */
export const MAX_AUTHORIZATIONS_WITHOUT_SUCCESS = 3;

export function authorizationsExhausted(conn: ConnectionRecord): boolean {
  return (conn.authorizationsSinceSuccess ?? 0) >= MAX_AUTHORIZATIONS_WITHOUT_SUCCESS;
}

/** Returns the authorization URL the page navigates to. */
export async function startAuthorization(conn: ConnectionRecord): Promise<string> {
  const discovery = conn.discovery;
  if (!discovery) throw new FlowError('authorize', 'This server has not been discovered yet; press Connect first.');
  const log = (s: Parameters<typeof addStep>[1]) => addStep(conn, s);
  const client = await obtainClient(conn, discovery, log);

  if (authorizationsExhausted(conn)) {
    throw new FlowError(
      conn.stepUp ? 'step-up' : 'authorize',
      `The server refused every request after ${MAX_AUTHORIZATIONS_WITHOUT_SUCCESS} authorizations in a row; Keyhole stopped asking (MCP S5). Press Connect to start over.`,
    );
  }
  let scopes: string[] | undefined;
  if (conn.stepUp) {
    scopes = conn.stepUp.scopes;
  } else {
    scopes = initialScopes({
      challenged: conn.challenge?.scope,
      resourceScopesSupported: discovery.resourceScopesSupported,
      serverScopesSupported: discovery.as.scopes_supported,
      configured: conn.configuredScopes,
    });
  }

  const endpoint = checkEndpointUrl(discovery.as.authorization_endpoint, 'The authorization endpoint');
  // A fresh key for every authorization: a new grant never inherits an old key (RFC 9449 §10 binds the code to it).
  const dpopKey = wantsDpop(discovery) ? await newDpopKey(conn.key) : undefined;
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const now = Date.now();
  await (await db()).put('flows', {
    state,
    key: conn.key,
    codeVerifier,
    issuer: discovery.issuer,
    as: discovery.as,
    client,
    ...(dpopKey ? { dpopKey } : {}),
    redirectUri: redirectUri(),
    resource: discovery.resource,
    ...(scopes ? { scopes } : {}),
    createdAt: now,
    expiresAt: now + FLOW_TTL_MS,
  });

  const url = new URL(endpoint.href);
  const params = url.searchParams;
  params.set('response_type', 'code');
  params.set('client_id', client.client_id);
  params.set('redirect_uri', redirectUri());
  params.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  params.set('code_challenge_method', 'S256');
  params.set('state', state);
  // Exactly the string from the metadata, not a re-serialised URL (conformance checks bytes).
  params.set('resource', discovery.resource);
  const scope = joinScope(scopes);
  if (scope) params.set('scope', scope);
  if (dpopKey) params.set('dpop_jkt', dpopKey.jkt);

  conn.scopesRequested = scopes ?? [];
  conn.authorizationsSinceSuccess = (conn.authorizationsSinceSuccess ?? 0) + 1;
  log({
    step: 'authorize',
    outcome: 'info',
    detail: `Authorization request to ${endpoint.origin}${endpoint.pathname}: PKCE S256 (challenge ${params.get('code_challenge')}), resource ${discovery.resource}, scope ${scope ?? '(none)'}` +
      `${dpopKey ? `, DPoP key ${dpopKey.jkt} (non-extractable ${dpopKey.keyPair.privateKey.algorithm.name})` : ''}.`,
    url: `${endpoint.origin}${endpoint.pathname}`,
    // The request's parameters as sent, minus `state` (removed by showable); never the verifier.
    document: paramsDocument(params),
  });
  await save(conn);
  return url.href;
}

/** Records a refused operation for step-up: the union of what was asked before and what is needed now. */
export function noteStepUp(conn: ConnectionRecord, operation: string, challengedScope: string | undefined): void {
  conn.stepUp = {
    operation,
    scopes: stepUpScopes(unionGranted(conn), challengedScope, conn.discovery?.as.scopes_supported) ?? [],
  };
}

function unionGranted(conn: ConnectionRecord): string[] {
  return [...new Set([...(conn.scopesRequested ?? []), ...(conn.scopesGranted ?? [])])].filter((s) => s !== 'offline_access');
}

/** URLSearchParams as a plain object (the worker's lib has no iterable URLSearchParams). */
function paramsDocument(params: URLSearchParams): Record<string, string> {
  const doc: Record<string, string> = {};
  params.forEach((value, key) => (doc[key] = value));
  return doc;
}
