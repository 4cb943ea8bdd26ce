import type { StorageLike } from '../../src/app/web-storage.ts';

/** A Storage held in a Map, with an optional quota in characters (keys and values, like Chromium counts). */
export function memoryStorage(quota = Infinity): StorageLike & { map: Map<string, string>; writes: number } {
  const map = new Map<string, string>();
  const used = () => [...map].reduce((n, [k, v]) => n + k.length + v.length, 0);
  return {
    map,
    writes: 0,
    getItem: (k) => map.get(k) ?? null,
    setItem(k, v) {
      this.writes++;
      const before = map.get(k);
      map.set(k, v);
      if (used() > quota) {
        if (before === undefined) map.delete(k);
        else map.set(k, before);
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
    },
    removeItem: (k) => void map.delete(k),
  };
}
