// DPoP (RFC 9449) at the resource server: proof verification (§4.3), server nonces (§9) and
// the proof replay cache (§11.1). Key binding against the introspected `cnf.jkt` is checked
// by the caller (auth-gate.mjs), which has the token's introspection.

import { createHash, randomBytes } from 'node:crypto';
import * as jose from 'jose';

/** Asymmetric JWS algorithms accepted for DPoP proofs (advertised in `algs` and in the PRM document). */
export const DPOP_ALGS = ['ES256', 'ES384', 'EdDSA', 'RS256', 'PS256'];
/** Accepted distance between a proof's `iat` and now, both ways (RFC 9449 §11.1; MCP SEP-1932: ±5 min). */
const DPOP_IAT_WINDOW_S = 300;
/** Server nonces rotate this often; the current and the previous one are accepted (RFC 9449 §9). */
const DPOP_NONCE_ROTATE_MS = 60_000;
/** Most proof `jti`s remembered at once; when full (of unexpired entries) proofs are refused, not forgotten. */
const DPOP_REPLAY_CACHE_MAX = 10_000;
/** JWK members that only private (or symmetric) keys have. */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/**
 * @typedef {object} VerifiedProof
 * @property {string} jti
 * @property {number} iat
 * @property {string} thumbprint RFC 7638 SHA-256 thumbprint of the proof's `jwk`
 * @property {unknown} nonce the proof's `nonce` claim, if any
 */

/** A DPoP proof that fails its own checks (RFC 9449 §4.3): answered with `invalid_dpop_proof`. */
export class InvalidProof extends Error {}

/**
 * Base64url SHA-256 of an access token: a proof's `ath` (RFC 9449 §4.2).
 * @param {string} token
 */
function accessTokenHash(token) {
  return createHash('sha256').update(token, 'ascii').digest('base64url');
}

/**
 * Checks a DPoP proof JWT on its own (RFC 9449 §4.3 steps 1-11, minus nonce, replay and key
 * binding, which need server state or the token's introspection). Signature, `typ`, `alg` and
 * the embedded public key are verified by `jose`.
 *
 * @param {string | null} header the `DPoP` request header
 * @param {{ method: string, url: string, accessToken: string }} expected `url` without query or fragment
 * @returns {Promise<VerifiedProof>}
 * @throws {InvalidProof}
 */
export async function verifyDpopProof(header, expected) {
  if (!header) throw new InvalidProof('DPoP proof missing');
  // Several DPoP header fields arrive joined by ", "; a compact JWS has neither.
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(header) || header.length > 8192) {
    throw new InvalidProof('DPoP header must be exactly one compact JWS');
  }
  /** @type {jose.JWTVerifyResult & jose.ResolvedKey} */
  let verified;
  try {
    const unverified = jose.decodeProtectedHeader(header);
    const jwk = unverified.jwk;
    if (!jwk || typeof jwk !== 'object') throw new InvalidProof('DPoP proof has no jwk header');
    const privateMember = PRIVATE_JWK_MEMBERS.find((m) => Object.hasOwn(jwk, m));
    if (privateMember) throw new InvalidProof(`DPoP proof jwk has the private member "${privateMember}"`);
    verified = await jose.jwtVerify(header, jose.EmbeddedJWK, { typ: 'dpop+jwt', algorithms: DPOP_ALGS });
  } catch (error) {
    if (error instanceof InvalidProof) throw error;
    throw new InvalidProof(`DPoP proof rejected: ${/** @type {Error} */ (error).message}`);
  }
  const { payload, protectedHeader } = verified;
  if (typeof payload.jti !== 'string' || payload.jti === '' || payload.jti.length > 512) {
    throw new InvalidProof('DPoP proof needs a jti string');
  }
  if (payload.htm !== expected.method) throw new InvalidProof('DPoP proof htm does not match the request method');
  const htu = typeof payload.htu === 'string' ? URL.parse(payload.htu) : null;
  if (!htu) throw new InvalidProof('DPoP proof htu is not a URL');
  htu.search = '';
  htu.hash = '';
  if (htu.href !== expected.url) throw new InvalidProof('DPoP proof htu does not match the request URL');
  if (typeof payload.iat !== 'number' || !Number.isFinite(payload.iat)) throw new InvalidProof('DPoP proof needs an iat number');
  if (Math.abs(Date.now() / 1000 - payload.iat) > DPOP_IAT_WINDOW_S) {
    throw new InvalidProof('DPoP proof iat is outside the accepted window');
  }
  if (payload.ath !== accessTokenHash(expected.accessToken)) {
    throw new InvalidProof('DPoP proof ath does not match the access token');
  }
  const thumbprint = await jose.calculateJwkThumbprint(/** @type {jose.JWK} */ (protectedHeader.jwk), 'sha256');
  return { jti: payload.jti, iat: payload.iat, thumbprint, nonce: payload.nonce };
}


/** Server nonces of one MCP server: the current one and the one it replaced are accepted. */
export function createDpopNonces() {
  const nonceState = { current: randomBytes(18).toString('base64url'), previous: '', since: Date.now() };

  /** The nonce to hand out now (rotating it if due). */
  function currentNonce() {
    const age = Date.now() - nonceState.since;
    if (age >= DPOP_NONCE_ROTATE_MS) {
      // After a long idle spell the old "current" is too old to honour as "previous".
      nonceState.previous = age < 2 * DPOP_NONCE_ROTATE_MS ? nonceState.current : '';
      nonceState.current = randomBytes(18).toString('base64url');
      nonceState.since = Date.now();
    }
    return nonceState.current;
  }

  /** @param {unknown} nonce */
  function nonceAccepted(nonce) {
    const current = currentNonce();
    return typeof nonce === 'string' && nonce !== '' && (nonce === current || nonce === nonceState.previous);
  }

  return { currentNonce, nonceAccepted };
}

/** The `jti`s of the DPoP proofs one MCP server accepted, while their `iat` is in the window. */
export function createProofReplayCache() {
  /** `jkt jti` -> ms after which the proof's iat is out of the window anyway. */
  /** @type {Map<string, number>} */
  const seenProofs = new Map();
  let proofsSinceSweep = 0;

  /**
   * Remembers a proof; false if it was seen before (replay) or the cache is full.
   * Synchronous, so two concurrent copies of one proof cannot both pass.
   * @param {VerifiedProof} proof
   * @returns {'fresh' | 'replay' | 'full'}
   */
  function rememberProof(proof) {
    const now = Date.now();
    if (++proofsSinceSweep >= 500 || seenProofs.size >= DPOP_REPLAY_CACHE_MAX) {
      proofsSinceSweep = 0;
      for (const [key, until] of seenProofs) if (until <= now) seenProofs.delete(key);
    }
    const key = `${proof.thumbprint} ${proof.jti}`;
    const until = seenProofs.get(key);
    if (until !== undefined && until > now) return 'replay';
    if (seenProofs.size >= DPOP_REPLAY_CACHE_MAX) return 'full';
    seenProofs.set(key, (proof.iat + DPOP_IAT_WINDOW_S + 1) * 1000);
    return 'fresh';
  }

  return { rememberProof };
}
