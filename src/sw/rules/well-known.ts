/**
 * Well-known metadata locations, in the order the MCP authorization spec asks for them.
 * oauth4webapi's discovery helpers build only two of the three authorization-server shapes
 * (MCP N5), so the list is built here and every document found is still validated by
 * oauth4webapi's `process*DiscoveryResponse`.
 */

/** Inserts `/.well-known/<suffix>` between the origin and the path (RFC 8414 §3.1, RFC 9728 §3.1). */
function inserted(url: URL, suffix: string): string {
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return `${url.origin}/.well-known/${suffix}${path}${url.search}`;
}

/**
 * Protected resource metadata candidates for an MCP endpoint without a `resource_metadata`
 * hint (MCP D4): path-inserted first, then the root. An endpoint at the root has just one.
 */
export function protectedResourceMetadataUrls(serverUrl: string): string[] {
  const url = new URL(serverUrl);
  const root = `${url.origin}/.well-known/oauth-protected-resource`;
  const pathInserted = inserted(url, 'oauth-protected-resource');
  return pathInserted === root ? [root] : [pathInserted, root];
}

export type MetadataKind = 'oauth' | 'oidc';

/**
 * Authorization server metadata candidates for an issuer (MCP M3/M4): RFC 8414 path-inserted,
 * OpenID Connect path-inserted, OpenID Connect path-appended; for an issuer without a path the
 * two root documents.
 */
export function authorizationServerMetadataUrls(issuer: string): { url: string; kind: MetadataKind }[] {
  const url = new URL(issuer);
  const hasPath = url.pathname !== '/' && url.pathname !== '';
  if (!hasPath) {
    return [
      { url: `${url.origin}/.well-known/oauth-authorization-server`, kind: 'oauth' },
      { url: `${url.origin}/.well-known/openid-configuration`, kind: 'oidc' },
    ];
  }
  const path = url.pathname.replace(/\/$/, '');
  return [
    { url: inserted(url, 'oauth-authorization-server'), kind: 'oauth' },
    { url: inserted(url, 'openid-configuration'), kind: 'oidc' },
    { url: `${url.origin}${path}/.well-known/openid-configuration`, kind: 'oidc' },
  ];
}

/**
 * The 2025-03-26 revision had no protected resource metadata: the authorization server was
 * the MCP server's origin (the "authorization base URL", path dropped), with default endpoint
 * paths when it published no metadata either.
 */
export function legacyAuthorizationBase(serverUrl: string): string {
  return new URL(serverUrl).origin;
}

export function legacyDefaultEndpoints(serverUrl: string): {
  authorization_endpoint: string;
  token_endpoint: string;
  registration_endpoint: string;
} {
  const base = legacyAuthorizationBase(serverUrl);
  return {
    authorization_endpoint: `${base}/authorize`,
    token_endpoint: `${base}/token`,
    registration_endpoint: `${base}/register`,
  };
}
