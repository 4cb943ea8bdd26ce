// The access-token gate in front of the MCP handlers: Bearer (RFC 6750) and DPoP (RFC 9449)
// tokens, validated by introspection (RFC 7662), with RFC 6750 §3 / RFC 9728 challenges on
// refusal, and an HTTP-layer scope check for the `admin-report` tool (403 insufficient_scope).

import { debug } from './debug.mjs';
import { DPOP_ALGS, InvalidProof, createDpopNonces, createProofReplayCache, verifyDpopProof } from './dpop.mjs';
import { json, quote } from './http-responses.mjs';

/** @typedef {import('./dpop.mjs').VerifiedProof} VerifiedProof */
/** @typedef {import('./introspection.mjs').Introspection} Introspection */

/**
 * @param {object} options
 * @param {'allowed' | 'required' | 'off'} options.dpop which token kinds are accepted (see startMcpServer)
 * @param {boolean} options.useNonces demand server nonces in DPoP proofs
 * @param {string} options.basicScope
 * @param {string} options.adminScope
 * @param {{ resourceUrl: string, prmUrl: string }} options.site this server's URLs (known once it listens)
 * @param {(token: string) => Promise<Introspection>} options.introspect
 */
export function createAuthGate({ dpop, useNonces, basicScope, adminScope, site, introspect }) {
  const { currentNonce, nonceAccepted } = createDpopNonces();
  const { rememberProof } = createProofReplayCache();

  /** Schemes this server accepts, in the order challenges list them when nothing says otherwise. */
  /** @type {('Bearer' | 'DPoP')[]} */
  const offeredSchemes = dpop === 'off' ? ['Bearer'] : dpop === 'required' ? ['DPoP'] : ['Bearer', 'DPoP'];

  /**
   * One challenge: RFC 6750 §3 parameters, RFC 9728 `resource_metadata`, and for DPoP the
   * RFC 9449 §7.1 `algs`.
   * @param {'Bearer' | 'DPoP'} scheme
   * @param {{ error?: string, description?: string, scope?: string }} [details]
   */
  function challenge(scheme, { error, description, scope = basicScope } = {}) {
    const params = [];
    if (error) params.push(`error=${quote(error)}`);
    if (error && description) params.push(`error_description=${quote(description)}`);
    if (scheme === 'DPoP') params.push(`algs=${quote(DPOP_ALGS.join(' '))}`);
    params.push(`resource_metadata=${quote(site.prmUrl)}`, `scope=${quote(scope)}`);
    return `${scheme} ${params.join(', ')}`;
  }

  /**
   * 401 with a challenge per accepted scheme (in one header field). The error, if any, goes
   * on the challenge of `errorScheme` (or the only scheme offered), which is listed first.
   *
   * @param {{ errorScheme?: 'Bearer' | 'DPoP', error?: string, description?: string }} [details]
   */
  function unauthorized({ errorScheme, error, description } = {}) {
    const first = errorScheme && offeredSchemes.includes(errorScheme) ? errorScheme : offeredSchemes[0];
    const schemes = [first, ...offeredSchemes.filter((s) => s !== first)];
    const header = schemes
      .map((s) => challenge(s, s === first && error ? { error, description } : {}))
      .join(', ');
    return json(
      401,
      { error: error ?? 'unauthorized', error_description: description ?? (error ? 'The access token is invalid' : 'Authorization required') },
      { 'WWW-Authenticate': header },
    );
  }

  /** 401 use_dpop_nonce with a fresh nonce (RFC 9449 §9). */
  function useDpopNonce() {
    const description = 'Resource server requires nonce in DPoP proof';
    return json(
      401,
      { error: 'use_dpop_nonce', error_description: description },
      {
        'WWW-Authenticate': `DPoP error="use_dpop_nonce", error_description=${quote(description)}, algs=${quote(DPOP_ALGS.join(' '))}`,
        'DPoP-Nonce': currentNonce(),
      },
    );
  }

  /** @param {'Bearer' | 'DPoP'} scheme the scheme the token was presented with */
  function forbiddenScope(scheme) {
    const description = `This operation requires the ${adminScope} scope`;
    return json(
      403,
      { error: 'insufficient_scope', error_description: description },
      { 'WWW-Authenticate': challenge(scheme, { error: 'insufficient_scope', description, scope: adminScope }) },
    );
  }

  /**
   * @param {unknown} body parsed JSON-RPC body (message or batch)
   * @returns {boolean} whether some message calls a tool that needs the admin scope
   */
  function needsAdmin(body) {
    const messages = Array.isArray(body) ? body : [body];
    return messages.some(
      (m) => m && typeof m === 'object' && m.method === 'tools/call' && m.params?.name === 'admin-report',
    );
  }

  /**
   * Checks the request's access token; the token's AuthInfo if it may go on to the MCP
   * handlers, else the refusal to send.
   *
   * @param {Request} request
   * @param {string | null} authorization the Authorization header
   * @param {unknown} parsedBody the JSON-RPC body, if any
   * @returns {Promise<Response | import('@modelcontextprotocol/server').AuthInfo>}
   */
  async function authenticate(request, authorization, parsedBody) {
    // Access token (Bearer or DPoP), validated by introspection.
    if (!authorization) return unauthorized();
    const match = authorization.match(/^(Bearer|DPoP)\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i);
    /** @type {'Bearer' | 'DPoP'} */
    const scheme = /^dpop\b/i.test(authorization) ? 'DPoP' : 'Bearer';
    /** @param {string} description @param {string} [error] @param {'Bearer' | 'DPoP'} [errorScheme] */
    const refuse = (description, error = 'invalid_token', errorScheme = scheme) => {
      debug('refused:', description);
      return unauthorized({ errorScheme, error, description });
    };
    if (!match) return refuse('Malformed Authorization header');
    const token = match[2];
    if (scheme === 'DPoP' && dpop === 'off') return refuse('This resource does not accept DPoP', 'invalid_token', 'Bearer');
    if (scheme === 'Bearer' && dpop === 'required') {
      return refuse('This resource requires a DPoP-bound access token', 'invalid_token', 'DPoP');
    }

    // DPoP: the proof on its own first (no need to introspect for a bad proof), then the nonce.
    /** @type {VerifiedProof | undefined} */
    let proof;
    if (scheme === 'DPoP') {
      try {
        proof = await verifyDpopProof(request.headers.get('dpop'), {
          method: request.method,
          url: site.resourceUrl,
          accessToken: token,
        });
      } catch (error) {
        if (!(error instanceof InvalidProof)) throw error;
        return refuse(error.message, 'invalid_dpop_proof');
      }
      if (useNonces && !nonceAccepted(proof.nonce)) return useDpopNonce();
    }

    /** @type {Introspection} */
    let verdict;
    try {
      verdict = await introspect(token);
    } catch (error) {
      debug('introspection failed:', /** @type {Error} */ (error).message);
      return json(503, { error: 'temporarily_unavailable', error_description: 'Token introspection failed' });
    }
    if (!verdict.ok || !verdict.authInfo) return refuse(`The access token is invalid (${verdict.reason})`);

    // Key binding (RFC 9449 §7.1): a bound token only with a proof from its key, an unbound one only as Bearer.
    if (verdict.jkt !== undefined) {
      if (dpop === 'off') return refuse('DPoP-bound access tokens are not accepted here');
      if (!proof) return refuse('DPoP-bound access token presented without DPoP', 'invalid_token', 'DPoP');
      if (proof.thumbprint !== verdict.jkt) return refuse('Invalid DPoP key binding');
    } else if (proof) {
      return refuse('The access token is not DPoP-bound; present it as Bearer');
    }
    if (proof) {
      const seen = rememberProof(proof);
      if (seen === 'replay') return refuse('DPoP proof replayed (jti already seen)', 'invalid_dpop_proof');
      if (seen === 'full') {
        return json(503, { error: 'temporarily_unavailable', error_description: 'Too many DPoP proofs; retry shortly' }, { 'Retry-After': '5' });
      }
    }
    const authInfo = verdict.authInfo;

    // Per-tool scope, checked before the SDK sees the request.
    if (parsedBody !== undefined && needsAdmin(parsedBody) && !authInfo.scopes.includes(adminScope)) {
      return forbiddenScope(scheme);
    }
    return authInfo;
  }

  return { authenticate, currentNonce };
}
