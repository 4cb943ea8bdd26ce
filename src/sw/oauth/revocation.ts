/**
 * Token revocation (RFC 7009): the refresh token first, which ends the grant, then the access
 * token. The client authenticates as at the token endpoint (§2.1), with the client's secret when it
 * has one, whether the server assigned it at registration or the person typed it.
 */
import * as oauth from 'oauth4webapi';
import { oauthOptions } from '../net.ts';
import { endpointAuthMethods, refusesClientAuthentication } from '../rules/client-auth.ts';
import type { ConnectionRecord, TokenRecord } from '../store.ts';
import { clientAuth, clientRecordFor } from './registration.ts';

/** Revokes the connection's tokens at its authorization server; throws what the server answered. */
export async function revokeTokens(conn: ConnectionRecord, tokens: Pick<TokenRecord, 'accessToken' | 'refreshToken'>): Promise<void> {
  const discovery = conn.discovery;
  const endpoint = discovery?.as.revocation_endpoint;
  if (!discovery || !endpoint) return;
  const { as, issuer } = discovery;
  const rec = await clientRecordFor(conn, issuer);
  const client: oauth.Client = { client_id: rec.client_id };
  const methods = endpointAuthMethods(rec.token_endpoint_auth_method, as.revocation_endpoint_auth_methods_supported, as.token_endpoint_auth_methods_supported);
  const opts = oauthOptions(endpoint, 'The revocation endpoint');
  for (const [token, hint] of [
    [tokens.refreshToken, 'refresh_token'],
    [tokens.accessToken, 'access_token'],
  ] as const) {
    if (!token) continue;
    for (const [i, method] of methods.entries()) {
      try {
        const auth = clientAuth({ ...rec, token_endpoint_auth_method: method });
        await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, token, { ...opts, additionalParameters: { token_type_hint: hint } }));
        // The method that worked is the one for the next token too.
        if (i > 0) methods.splice(0, i);
        break;
      } catch (err) {
        const last = i === methods.length - 1;
        if (last || !(err instanceof oauth.ResponseBodyError) || !refusesClientAuthentication(err)) throw err;
      }
    }
  }
}
