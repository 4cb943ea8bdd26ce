/**
 * The worker's IndexedDB. Page code of this origin can read it too (RFC 10017 §8.2, §8.5), so
 * what goes in follows the storage policy in tokens.ts: tokens only where the policy allows.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type * as oauth from 'oauth4webapi';
import type { ConnectionState, TimelineStep, TokenKind } from '../protocol.ts';

export interface DiscoveryRecord {
  /** The `resource` value sent on authorization and token requests, byte for byte (RFC 8707, MCP P4). */
  resource: string;
  resourceMetadataUrl?: string;
  resourceScopesSupported?: string[];
  /** The issuer recorded from validated metadata (MCP P9). */
  issuer: string;
  as: oauth.AuthorizationServer;
  /** Found by the 2025-03-26 rules (no protected resource metadata). */
  legacy: boolean;
  /** The resource requires DPoP-bound tokens (RFC 9449 §5.2, `dpop_bound_access_tokens_required`). */
  dpopRequired?: boolean;
}

export interface StepUpRecord {
  /** JSON-RPC method and name of the operation that was refused, e.g. `tools/call admin-report`. */
  operation: string;
  scopes: string[];
}

export interface ConnectionRecord {
  key: string;
  serverUrl: string;
  keepSignedIn: boolean;
  configuredScopes?: string[];
  /** A client the person entered; bound to the first issuer it is used with (MCP R12/R14). */
  preRegistered?: { clientId: string; clientSecret?: string; issuer?: string };
  /** The challenge that started authorization. */
  challenge?: { resourceMetadata?: string; scope?: string };
  discovery?: DiscoveryRecord;
  state: ConnectionState;
  error?: string;
  reason?: string;
  warning?: string;
  scopesRequested?: string[];
  scopesGranted?: string[];
  stepUp?: StepUpRecord;
  /** An operation refused with a 401 despite a token: until it succeeds, authorizing has not helped. */
  refusedOperation?: string;
  /**
   * Authorizations started since the server last accepted an operation (connection set-up does
   * not count). Bounds step-up loops and
   * servers that refuse every fresh token (MCP S5/S6).
   */
  authorizationsSinceSuccess?: number;
  registration?: 'pre-registered' | 'metadata-document' | 'dynamic' | 'legacy-dynamic';
  steps: TimelineStep[];
}

/** A client registration at one authorization server, keyed by its issuer (MCP D9/R12). */
export interface ClientRecord {
  issuer: string;
  client_id: string;
  client_secret?: string;
  token_endpoint_auth_method: 'none' | 'client_secret_basic' | 'client_secret_post';
  redirect_uri: string;
  method: 'metadata-document' | 'dynamic' | 'pre-registered';
}

/** One authorization request in flight, keyed by its `state` (single use, short-lived). */
export interface FlowRecord {
  state: string;
  key: string;
  codeVerifier: string;
  issuer: string;
  as: oauth.AuthorizationServer;
  /** The client used; a new dynamic registration is stored in `clients` only when this flow succeeds. */
  client: ClientRecord;
  /** The DPoP key this flow binds the code to (RFC 9449 §10); kept with the tokens on success. */
  dpopKey?: DpopKeyRecord;
  redirectUri: string;
  resource: string;
  scopes?: string[];
  createdAt: number;
  expiresAt: number;
  /**
   * The checked authorization response (code, state, iss), set once when the callback arrives
   * and kept until the tokens are stored, so a worker stopped during the token request can
   * redeem it again. Its presence also marks the state as used.
   */
  callbackParams?: string;
}

/** A connection's DPoP key pair: the private key is non-extractable (WebCrypto), so it can sign here and nowhere else. */
export interface DpopKeyRecord {
  key: string;
  keyPair: CryptoKeyPair;
  /** RFC 7638 thumbprint of the public key, recorded when the tokens were bound to it. */
  jkt: string;
}

export interface TokenRecord {
  key: string;
  issuer: string;
  clientId: string;
  tokenType: TokenKind;
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms. */
  expiresAt?: number;
  /** Epoch ms when the token response arrived: with expiresAt, the token's lifetime. */
  obtainedAt?: number;
  scope?: string[];
  /** For DPoP-bound tokens: the thumbprint of the key they are bound to (RFC 9449 §6). */
  jkt?: string;
}

interface KeyholeDB extends DBSchema {
  connections: { key: string; value: ConnectionRecord };
  clients: { key: string; value: ClientRecord };
  flows: { key: string; value: FlowRecord; indexes: { byConnection: string } };
  tokens: { key: string; value: TokenRecord };
  dpopKeys: { key: string; value: DpopKeyRecord };
}

export type Store = IDBPDatabase<KeyholeDB>;
export const DB_NAME = 'keyhole';

let dbPromise: Promise<Store> | undefined;
const deletedListeners = new Set<() => void>();

/** Calls `listener` when the database is deleted under the worker (site data cleared, a script of the origin). */
export function onDatabaseDeleted(listener: () => void): void {
  deletedListeners.add(listener);
}

export function db(): Promise<Store> {
  dbPromise ??= openDB<KeyholeDB>(DB_NAME, 2, {
    upgrade(d, oldVersion) {
      if (oldVersion < 1) {
        d.createObjectStore('connections', { keyPath: 'key' });
        d.createObjectStore('clients', { keyPath: 'issuer' });
        d.createObjectStore('flows', { keyPath: 'state' }).createIndex('byConnection', 'key');
        d.createObjectStore('tokens', { keyPath: 'key' });
      }
      if (oldVersion < 2) d.createObjectStore('dpopKeys', { keyPath: 'key' });
    },
    terminated() {
      dbPromise = undefined;
    },
  }).then((d) => {
    // Another context deleting or upgrading the database must not leave us holding a dead handle.
    d.addEventListener('versionchange', (event) => {
      d.close();
      dbPromise = undefined;
      // newVersion null: a deletion, not an upgrade by a newer version of the worker.
      if (event.newVersion === null) for (const l of deletedListeners) l();
    });
    return d;
  });
  return dbPromise;
}

/** Flow records live ten minutes: long enough for a person at a login page, short for a thief. */
export const FLOW_TTL_MS = 10 * 60 * 1000;

/**
 * Deletes every record of one connection in one transaction: the connection, its tokens, its
 * pending flows, and the client registration at its issuer when no other connection uses it.
 */
export async function deleteConnectionEverywhere(key: string): Promise<void> {
  const d = await db();
  const tx = d.transaction(['connections', 'tokens', 'flows', 'clients', 'dpopKeys'], 'readwrite');
  const conn = await tx.objectStore('connections').get(key);
  const others = (await tx.objectStore('connections').getAll()).filter((c) => c.key !== key);
  await tx.objectStore('connections').delete(key);
  await tx.objectStore('tokens').delete(key);
  await tx.objectStore('dpopKeys').delete(key);
  for (const state of await tx.objectStore('flows').index('byConnection').getAllKeys(key)) {
    await tx.objectStore('flows').delete(state);
  }
  const issuer = conn?.discovery?.issuer;
  if (issuer && !others.some((c) => c.discovery?.issuer === issuer)) {
    await tx.objectStore('clients').delete(issuer);
  }
  await tx.done;
}
