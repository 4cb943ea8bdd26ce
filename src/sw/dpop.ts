/**
 * DPoP (RFC 9449): one non-extractable key pair per connection, held by the worker. A token
 * bound to it is worthless to anyone who copies it out of IndexedDB (RFC 10017 §6.3.4.2.2),
 * which is why DPoP-bound tokens may be persisted by default.
 */
import * as oauth from 'oauth4webapi';
import { db, type DiscoveryRecord, type DpopKeyRecord } from './store.ts';

/** The one algorithm this client signs with: ES256, the MCP DPoP profile's baseline. */
export const DPOP_ALG = 'ES256';

/**
 * Whether to use DPoP with this server: the authorization server says it supports our algorithm,
 * or the resource asks for DPoP-bound tokens (RFC 9449 §5.1, RFC 9728 §2).
 */
export function wantsDpop(discovery: DiscoveryRecord): boolean {
  const asAlgs = discovery.as.dpop_signing_alg_values_supported;
  return (Array.isArray(asAlgs) && asAlgs.includes(DPOP_ALG)) || discovery.dpopRequired === true;
}

/** A fresh key pair; the private key cannot be exported (oauth4webapi's default, checked here). */
export async function newDpopKey(key: string): Promise<DpopKeyRecord> {
  const keyPair = await oauth.generateKeyPair(DPOP_ALG, { extractable: false });
  if (keyPair.privateKey.extractable) throw new Error('WebCrypto produced an extractable DPoP private key.');
  const jkt = await oauth.DPoP({}, keyPair).calculateThumbprint();
  return { key, keyPair, jkt };
}

/**
 * Keys and handles live as long as the worker. A handle carries oauth4webapi's nonce cache, so
 * after a worker restart a nonce is learnt again: one extra round trip at most.
 */
const handles = new Map<string, { rec: DpopKeyRecord; handle: oauth.DPoPHandle }>();

export function dpopHandle(rec: DpopKeyRecord): oauth.DPoPHandle {
  const cached = handles.get(rec.key);
  if (cached && cached.rec.jkt === rec.jkt && cached.rec.keyPair === rec.keyPair) return cached.handle;
  const handle = oauth.DPoP({}, rec.keyPair);
  handles.set(rec.key, { rec, handle });
  return handle;
}

export async function storeDpopKey(rec: DpopKeyRecord): Promise<void> {
  await (await db()).put('dpopKeys', rec);
  handles.delete(rec.key);
  dpopHandle(rec);
}

/**
 * The handle for tokens bound to `jkt`. After a worker restart the key comes from IndexedDB,
 * where script of this origin could have replaced it, so its thumbprint is recomputed and must
 * equal the one the tokens were bound to; otherwise it never signs (custody notes §4.4).
 */
export async function handleForTokens(key: string, jkt: string): Promise<oauth.DPoPHandle | undefined> {
  const cached = handles.get(key);
  if (cached && cached.rec.jkt === jkt) return cached.handle;
  const rec = await (await db()).get('dpopKeys', key);
  if (!rec || rec.jkt !== jkt) return undefined;
  const actual = await oauth.DPoP({}, rec.keyPair).calculateThumbprint();
  if (actual !== jkt || rec.keyPair.privateKey.extractable) return undefined;
  return dpopHandle(rec);
}

export function forgetDpopHandle(key: string): void {
  handles.delete(key);
}

/** Runs an oauth4webapi request, retrying once when the server asks for a DPoP nonce (RFC 9449 §8, §9). */
export async function withNonceRetry<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (oauth.isDPoPNonceError(err)) return run();
    throw err;
  }
}
