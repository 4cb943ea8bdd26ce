/**
 * How a client with a secret authenticates at endpoints other than the token endpoint.
 * RFC 7009 §2.1 (revocation) and RFC 7662 §2.1 (introspection): the client authenticates there as
 * at the token endpoint (RFC 6749 §2.3), so the token endpoint's method comes first. RFC 8414 §2
 * lets a server list other methods for those endpoints (`revocation_endpoint_auth_methods_supported`).
 */
export type SecretMethod = 'client_secret_basic' | 'client_secret_post';
export type AuthMethod = 'none' | SecretMethod;

const SECRET_METHODS: readonly SecretMethod[] = ['client_secret_basic', 'client_secret_post'];

/**
 * The methods to try at an endpoint, in order: the token endpoint's, unless the endpoint's own
 * list leaves it out; then, once, the other secret method when the server lists it there (or, with
 * no list for the endpoint, for the token endpoint). Servers exist that list both yet read the
 * secret only from the form at revocation (the Python MCP SDK's), so the second is a fallback for
 * a refused client authentication, never sent alongside the first (RFC 6749 §2.3: one method per request).
 */
export function endpointAuthMethods(
  tokenMethod: AuthMethod,
  endpointSupported: readonly string[] | undefined,
  tokenSupported: readonly string[] | undefined,
): AuthMethod[] {
  if (tokenMethod === 'none') return ['none'];
  const listed = endpointSupported ?? tokenSupported;
  const other = SECRET_METHODS.find((m) => m !== tokenMethod)!;
  const first = endpointSupported && !endpointSupported.includes(tokenMethod) && endpointSupported.includes(other) ? other : tokenMethod;
  const second = first === tokenMethod ? other : tokenMethod;
  return listed?.includes(second) ? [first, second] : [first];
}

/**
 * An OAuth error answer that says the client's authentication was not accepted: `invalid_client`
 * and `unauthorized_client` (RFC 6749 §5.2), or `invalid_request` (a server that looked for the
 * secret where it was not sent).
 */
export function refusesClientAuthentication(error: { status?: number; error?: string } | undefined): boolean {
  if (!error?.error) return false;
  return ['invalid_client', 'unauthorized_client', 'invalid_request'].includes(error.error) && (error.status === 400 || error.status === 401);
}
