// Access-token validation by RFC 7662 introspection at the authorization server, with a short
// cache; judges audience (RFC 8707 resource = this server's URL), expiry, scope and the DPoP
// confirmation (`cnf.jkt`, RFC 9449 §6).

/** How long an introspection answer may be reused (ms). Kept short so revocation shows quickly. */
const INTROSPECTION_CACHE_MS = 1000;

/**
 * @typedef {object} Introspection
 * @property {boolean} ok whether the token is acceptable for this resource
 * @property {string} [reason] why not (debug only)
 * @property {string[]} [scopes]
 * @property {string} [jkt] RFC 7638 thumbprint of the key the token is bound to (`cnf.jkt`), if DPoP-bound
 * @property {import('@modelcontextprotocol/server').AuthInfo} [authInfo]
 */

/**
 * @param {object} options
 * @param {string} options.issuer authorization server issuer
 * @param {{ clientId: string, clientSecret: string }} options.introspectionClient client_secret_basic credentials
 * @param {string} options.basicScope the scope every token needs
 * @param {{ resourceUrl: string, prmUrl: string }} options.site this server's URLs (known once it listens)
 * @returns {(token: string) => Promise<Introspection>}
 */
export function createIntrospector({ issuer, introspectionClient, basicScope, site }) {
  /** @type {Promise<string> | undefined} */
  let introspectionEndpoint;
  function getIntrospectionEndpoint() {
    introspectionEndpoint ??= (async () => {
      const metadataUrl = `${issuer.replace(/\/$/, '')}/.well-known/oauth-authorization-server`;
      const res = await fetch(metadataUrl, { headers: { Accept: 'application/json' } });
      if (!res.ok) throw new Error(`AS metadata ${metadataUrl} answered ${res.status}`);
      const metadata = /** @type {{ introspection_endpoint?: string }} */ (await res.json());
      if (!metadata.introspection_endpoint) throw new Error('AS metadata lists no introspection_endpoint');
      return metadata.introspection_endpoint;
    })();
    // Do not remember a failure: the AS may simply not be up yet.
    introspectionEndpoint.catch(() => {
      introspectionEndpoint = undefined;
    });
    return introspectionEndpoint;
  }

  /** @type {Map<string, { at: number, result: Introspection }>} */
  const introspectionCache = new Map();

  /**
   * @param {string} token
   * @returns {Promise<Introspection>}
   */
  async function introspect(token) {
    const cached = introspectionCache.get(token);
    if (cached && Date.now() - cached.at < INTROSPECTION_CACHE_MS) return cached.result;
    const endpoint = await getIntrospectionEndpoint();
    const basic = Buffer.from(
      `${encodeURIComponent(introspectionClient.clientId)}:${encodeURIComponent(introspectionClient.clientSecret)}`,
    ).toString('base64');
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${basic}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
    });
    if (!res.ok) throw new Error(`introspection answered ${res.status}`);
    const data = /** @type {Record<string, unknown>} */ (await res.json());
    const result = judgeIntrospection(token, data);
    introspectionCache.set(token, { at: Date.now(), result });
    if (introspectionCache.size > 1000) introspectionCache.delete(introspectionCache.keys().next().value ?? '');
    return result;
  }

  /**
   * @param {string} token
   * @param {Record<string, unknown>} data RFC 7662 response
   * @returns {Introspection}
   */
  function judgeIntrospection(token, data) {
    if (data.active !== true) return { ok: false, reason: 'inactive' };
    const aud = data.aud;
    const audOk = typeof aud === 'string' ? aud === site.resourceUrl : Array.isArray(aud) && aud.includes(site.resourceUrl);
    if (!audOk) return { ok: false, reason: `audience ${JSON.stringify(aud)} is not ${site.resourceUrl}` };
    const exp = typeof data.exp === 'number' ? data.exp : undefined;
    if (exp !== undefined && exp * 1000 <= Date.now()) return { ok: false, reason: 'expired' };
    const tokenScopes = typeof data.scope === 'string' ? data.scope.split(' ').filter(Boolean) : [];
    if (!tokenScopes.includes(basicScope)) return { ok: false, reason: `scope lacks ${basicScope}` };
    const cnf = data.cnf && typeof data.cnf === 'object' ? /** @type {Record<string, unknown>} */ (data.cnf) : undefined;
    if (cnf && typeof cnf.jkt !== 'string') {
      // Bound some other way (e.g. mTLS `x5t#S256`): nothing this server can check.
      return { ok: false, reason: `unsupported confirmation ${JSON.stringify(cnf)}` };
    }
    const jkt = /** @type {string | undefined} */ (cnf?.jkt);
    return {
      ok: true,
      scopes: tokenScopes,
      ...(jkt !== undefined && { jkt }),
      authInfo: {
        token,
        clientId: typeof data.client_id === 'string' ? data.client_id : '',
        scopes: tokenScopes,
        expiresAt: exp,
        resource: new URL(site.resourceUrl),
        resourceMetadataUrl: site.prmUrl,
        extra: { sub: data.sub, iss: data.iss, ...(jkt !== undefined && { jkt }) },
      },
    };
  }

  return introspect;
}
