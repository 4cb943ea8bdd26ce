/**
 * Web Storage as the page's stores use it: passed in (so unit tests hand in a Map-backed one),
 * and never throwing into the caller. Reading `localStorage` itself throws where storage is
 * blocked (a SecurityError with cookies off); a store then simply remembers nothing.
 */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const NONE: StorageLike = { getItem: () => null, setItem: () => {}, removeItem: () => {} };

export function webStorage(kind: 'localStorage' | 'sessionStorage'): StorageLike {
  try {
    return globalThis[kind] ?? NONE;
  } catch {
    return NONE;
  }
}

/** The JSON stored under `key`, or undefined when there is none, it is not JSON, or storage cannot be read. */
export function readJson(storage: StorageLike, key: string): unknown {
  try {
    const text = storage.getItem(key);
    return text === null ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

/** A value's JSON length, or Infinity when it has none (a cycle, a BigInt): not storable. */
export function jsonLength(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return Infinity;
  }
}

/** The first (newest) items whose JSON array fits in `maxChars`. */
export function newestWithin<T>(items: T[], maxChars: number): T[] {
  let total = 2; // the array's brackets
  let n = 0;
  for (; n < items.length; n++) {
    total += jsonLength(items[n]) + 1;
    if (total > maxChars) break;
  }
  return items.slice(0, n);
}

/**
 * Writes `items` (newest first) as JSON, dropping the oldest while the write fails (a
 * QuotaExceededError: the origin's storage is full of other things). Returns what was stored;
 * an empty list when not even the newest fits (then the key is left as it was).
 */
export function writeNewestFirst<T>(storage: StorageLike, key: string, items: T[]): T[] {
  for (let kept = items; kept.length; kept = kept.slice(0, -1)) {
    try {
      storage.setItem(key, JSON.stringify(kept));
      return kept;
    } catch {
      // Full (or not writable): try again with one item fewer.
    }
  }
  return [];
}

export function removeKey(storage: StorageLike, key: string): void {
  try {
    storage.removeItem(key);
  } catch {
    // Storage that cannot be written holds nothing to remove.
  }
}
