/**
 * Rules for what an authorization server hands back, beyond what oauth4webapi checks.
 */
import { FlowError } from '../errors.ts';

/** Longer than any access token lifetime a real server issues; beyond it the number is nonsense. */
export const MAX_TOKEN_LIFETIME_S = 366 * 24 * 3600;

/**
 * What Keyhole checks in every token response (code exchange and refresh) beyond oauth4webapi:
 * a believable lifetime, and no DPoP-bound token for a request that carried no proof.
 */
export function checkTokenResponse(response: { expires_in?: number; token_type: string }, sentProof: boolean): void {
  checkTokenLifetime(response.expires_in);
  checkTokenType(response.token_type, sentProof);
}

/** Refuses an `expires_in` beyond MAX_TOKEN_LIFETIME_S (oauth4webapi already refuses ≤ 0). */
export function checkTokenLifetime(expiresIn: number | undefined): void {
  if (expiresIn !== undefined && expiresIn > MAX_TOKEN_LIFETIME_S) {
    throw new FlowError(
      'token',
      `The token response says expires_in ${expiresIn} s, more than a year; Keyhole does not keep a token on a lifetime that cannot be true. Nothing was kept.`,
    );
  }
}

/** Scopes granted that were not asked for (RFC 6749 §3.3 lets a server differ; more is worth saying). */
export function scopesBeyond(requested: readonly string[] | undefined, granted: readonly string[] | undefined): string[] {
  if (!requested?.length || !granted) return [];
  return granted.filter((s) => !requested.includes(s));
}

/** The first query parameter given more than once (RFC 6749 §3.1 forbids it). */
export function repeatedParameter(params: URLSearchParams): string | undefined {
  let repeated: string | undefined;
  params.forEach((_value, key) => {
    if (!repeated && params.getAll(key).length > 1) repeated = key;
  });
  return repeated;
}

/** A DPoP-bound token answered to a request that carried no proof cannot be used (RFC 9449 §5). */
export function checkTokenType(tokenType: string, sentProof: boolean): void {
  if (!sentProof && tokenType.toLowerCase() === 'dpop') {
    throw new FlowError('token', 'The token endpoint answered with a DPoP-bound token although Keyhole sent no DPoP proof (RFC 9449 §5); it could not be used. Nothing was kept.');
  }
}

/**
 * A token response body without the ID token Keyhole did not ask for, or undefined when there is
 * nothing to remove. An ID token answers an OpenID Connect request (the `openid` scope, OpenID
 * Connect Core §3.1.2.1); a client that made none has no use for one and no audience to check it
 * against, so it is dropped before any check rather than failing the token request.
 */
export function withoutUnrequestedIdToken(body: unknown, requestedScopes: readonly string[] | undefined): Record<string, unknown> | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body) || !('id_token' in body)) return undefined;
  if (requestedScopes?.includes('openid')) return undefined;
  const { id_token: _ignored, ...rest } = body as Record<string, unknown>;
  return rest;
}
