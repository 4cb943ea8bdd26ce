/**
 * Scope selection (MCP S1–S8). Scopes are kept as ordered, de-duplicated arrays;
 * `undefined` means "omit the scope parameter".
 */

export function splitScope(scope: string | undefined | null): string[] {
  if (!scope) return [];
  return [...new Set(scope.split(/\s+/).filter(Boolean))];
}

export function joinScope(scopes: readonly string[] | undefined): string | undefined {
  return scopes && scopes.length ? scopes.join(' ') : undefined;
}

export function unionScopes(...sets: (readonly string[] | undefined)[]): string[] {
  const out = new Set<string>();
  for (const set of sets) for (const s of set ?? []) out.add(s);
  return [...out];
}

export interface ScopeInputs {
  /** `scope` from the 401 WWW-Authenticate challenge, if any. */
  challenged?: string | undefined;
  /** `scopes_supported` from the protected resource metadata, if any. */
  resourceScopesSupported?: readonly string[] | undefined;
  /** `scopes_supported` from the authorization server metadata, if any. */
  serverScopesSupported?: readonly string[] | undefined;
  /** Scopes the person asked for in the server's settings; they win when given. */
  configured?: readonly string[] | undefined;
}

/**
 * First authorization (S1): the challenged scope, else all of the resource's
 * `scopes_supported`, else no scope at all. `offline_access` is added only when the
 * authorization server lists it (S8), so a refresh token may be issued; it is never invented.
 */
export function initialScopes(input: ScopeInputs): string[] | undefined {
  let chosen: string[] | undefined;
  if (input.configured && input.configured.length) chosen = [...input.configured];
  else if (splitScope(input.challenged).length) chosen = splitScope(input.challenged);
  else if (input.resourceScopesSupported && input.resourceScopesSupported.length)
    chosen = [...new Set(input.resourceScopesSupported)];
  if (!chosen) return undefined;
  return withOfflineAccess(chosen, input.serverScopesSupported);
}

/**
 * Step-up (S3/S5): the union of what was requested before and what this challenge names,
 * so operations that already worked keep working.
 */
export function stepUpScopes(
  previouslyRequested: readonly string[] | undefined,
  challenged: string | undefined,
  serverScopesSupported?: readonly string[],
): string[] | undefined {
  const union = unionScopes(previouslyRequested, splitScope(challenged));
  return union.length ? withOfflineAccess(union, serverScopesSupported) : undefined;
}

function withOfflineAccess(scopes: string[], serverScopesSupported: readonly string[] | undefined): string[] {
  if (serverScopesSupported?.includes('offline_access') && !scopes.includes('offline_access')) {
    return [...scopes, 'offline_access'];
  }
  // S8: never request offline_access from a server that does not list it.
  return serverScopesSupported && !serverScopesSupported.includes('offline_access')
    ? scopes.filter((s) => s !== 'offline_access')
    : scopes;
}
