/// <reference lib="webworker" />
/**
 * The tokens this worker life holds in memory, and what the connection views say about them.
 * Its own module so that the connection registry (connections.ts) can describe and forget tokens
 * without importing the custody code (tokens.ts), which records its steps on connections.
 */
import type { ConnectionView, TokenKind } from '../protocol.ts';
import { forgetDpopHandle } from './dpop.ts';
import type { TokenRecord } from './store.ts';

export const memory = new Map<string, TokenRecord>();
export const refreshing = new Map<string, Promise<TokenRecord>>();
/** Keys whose persisted tokens were already looked for in this worker life. */
export const loadedFromDisk = new Set<string>();

export function storageSentence(kind: TokenKind | undefined, keepSignedIn: boolean): string {
  if (kind === 'dpop') {
    return 'Kept in this browser (IndexedDB), bound to a key that cannot leave it: a copy of the token is useless elsewhere.';
  }
  if (keepSignedIn) {
    return 'Kept in this browser (IndexedDB) because you chose to stay signed in; any script on this site could read it.';
  }
  return 'Kept only in the service worker’s memory; lost when the browser stops the worker.';
}

export function tokenSummary(key: string): Pick<ConnectionView, 'tokenKind' | 'expiresAt' | 'canRefresh' | 'storage'> {
  const t = memory.get(key);
  if (!t) return {};
  return {
    tokenKind: t.tokenType,
    ...(t.expiresAt ? { expiresAt: t.expiresAt } : {}),
    canRefresh: !!t.refreshToken,
  };
}

/** Forgets the in-memory copy only (used by disconnect after the store was cleared). */
export function forgetTokens(key: string): void {
  forgetDpopHandle(key);
  memory.delete(key);
  loadedFromDisk.delete(key);
  refreshing.delete(key);
}

