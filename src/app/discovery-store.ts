/**
 * What a server said about itself last time (its `server/discover` result, or that it speaks only
 * the 2025 revisions), so that a returning visit does not ask again: the SDK's
 * `connect({ prior })` adopts a remembered 2026-07-28 discovery with no round trip, and a
 * remembered legacy verdict skips the discovery probe before `initialize`.
 *
 * Page storage, never a secret: a discovery result is the server's public self-description
 * (capabilities, versions, name), the same for every client. Freshness is ours to keep (the SDK's
 * PriorDiscovery contract): a stale 2026-07-28 discovery fails at the first request, and the
 * session then discovers again (mcp-session.ts); a stale legacy verdict would succeed forever on
 * a server that moved on, so it is trusted for a day only. Forgotten when the server is removed,
 * disconnected or given another client (the SDK: "reuse only within one authorization context").
 */
import type { ConnectOptions } from '@modelcontextprotocol/client';
import { readJson, removeKey, webStorage, type StorageLike } from './web-storage.ts';

export type PriorDiscovery = NonNullable<ConnectOptions['prior']>;

const KEY = 'keyhole.discovery';
/** A 2026-07-28 discovery is checked by every request that uses it; kept at most this long anyway. */
export const MODERN_HORIZON_MS = 30 * 24 * 3600_000;
/** A legacy verdict is never contradicted by the server, so it is asked again after a day. */
export const LEGACY_HORIZON_MS = 24 * 3600_000;

interface Remembered {
  at: number;
  prior: PriorDiscovery;
}

function all(storage: StorageLike): Record<string, Remembered> {
  const stored = readJson(storage, KEY);
  return stored && typeof stored === 'object' && !Array.isArray(stored) ? (stored as Record<string, Remembered>) : {};
}

function write(storage: StorageLike, entries: Record<string, Remembered>): void {
  try {
    if (Object.keys(entries).length) storage.setItem(KEY, JSON.stringify(entries));
    else storage.removeItem(KEY);
  } catch {
    // Full or blocked storage: the next visit discovers again, as a first one does.
  }
}

/** What to hand to `connect({ prior })` for this server, if anything fresh enough is remembered. */
export function rememberedDiscovery(serverUrl: string, storage = webStorage('localStorage'), now = Date.now()): PriorDiscovery | undefined {
  const entries = all(storage);
  const entry = Object.hasOwn(entries, serverUrl) ? entries[serverUrl] : undefined;
  if (!entry || typeof entry.at !== 'number' || typeof entry.prior !== 'object' || entry.prior === null) return undefined;
  const { prior } = entry;
  const horizon = prior.kind === 'legacy' ? LEGACY_HORIZON_MS : prior.kind === 'modern' ? MODERN_HORIZON_MS : -1;
  if (!(now - entry.at >= 0 && now - entry.at < horizon)) return undefined;
  if (prior.kind === 'modern' && (typeof prior.discover !== 'object' || prior.discover === null)) return undefined;
  return prior;
}

export function rememberDiscovery(serverUrl: string, prior: PriorDiscovery, storage = webStorage('localStorage'), now = Date.now()): void {
  write(storage, { ...all(storage), [serverUrl]: { at: now, prior } });
}

export function forgetDiscovery(serverUrl: string, storage = webStorage('localStorage')): void {
  const entries = all(storage);
  if (!Object.hasOwn(entries, serverUrl)) return;
  delete entries[serverUrl];
  if (Object.keys(entries).length) write(storage, entries);
  else removeKey(storage, KEY);
}
