/**
 * What the JSON view decides before it draws anything: which containers start open, what a
 * folded one says, how much of a long list or string shows at first. Pure, so a 2 MB value is
 * walked only as far as the answer needs, and the rules have unit tests.
 *
 * Places in a value are JSON Pointers (RFC 6901): "" is the whole value, "/result/content/0" an
 * item inside it.
 */

export type JsonContainer = Record<string, unknown> | unknown[];

/** Levels open at first sight: the value itself and two below it (0, 1, 2); deeper ones are folded. */
export const OPEN_LEVELS = 3;
/** Children drawn per container before a "Show more" button (the rest are drawn on request). */
export const CHILD_PAGE = 100;
/** Characters of a string drawn before a "Show all" button. */
export const STRING_CLIP = 2000;
/** Lines that opening at first sight (and "Expand all") may add, so a large value stays quick to draw. */
export const OPEN_BUDGET = 400;
export const EXPAND_ALL_BUDGET = 4000;

export function isContainer(value: unknown): value is JsonContainer {
  return typeof value === 'object' && value !== null;
}

export function childCount(value: JsonContainer): number {
  return Array.isArray(value) ? value.length : Object.keys(value).length;
}

/** The first `limit` children as [key, value] pairs (array items keyed by index). */
export function children(value: JsonContainer, limit = Infinity): [string | number, unknown][] {
  if (Array.isArray(value)) return value.slice(0, limit).map((v, i) => [i, v]);
  const keys = Object.keys(value);
  return keys.slice(0, limit).map((k) => [k, value[k]]);
}

/** What a folded container says in one line: `{…} 5 keys`, `[…] 12 items`. */
export function foldSummary(value: JsonContainer): string {
  const n = childCount(value);
  return Array.isArray(value) ? `[…] ${n} ${n === 1 ? 'item' : 'items'}` : `{…} ${n} ${n === 1 ? 'key' : 'keys'}`;
}

/** The JSON Pointer of a child (RFC 6901 section 3: "~" is written "~0", "/" is written "~1"). */
export function childPointer(parent: string, key: string | number): string {
  return `${parent}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

/**
 * Containers to open, breadth first from the top: those above `levels`, while the lines they
 * add (their drawn children) fit in `budget`. The top is always open; a container that would
 * go over the budget stays folded, and so does everything inside it. `complete` says whether
 * every container within `levels` could be opened.
 */
export function openContainers(value: unknown, levels: number, budget: number): { open: Set<string>; complete: boolean } {
  const open = new Set<string>();
  if (!isContainer(value) || levels < 1) return { open, complete: true };
  let used = 0;
  let complete = true;
  let queue: [string, JsonContainer][] = [['', value]];
  for (let level = 0; level < levels && queue.length; level++) {
    const next: [string, JsonContainer][] = [];
    for (const [pointer, container] of queue) {
      const drawn = Math.min(childCount(container), CHILD_PAGE);
      if (level > 0 && used + drawn > budget) {
        complete = false;
        continue;
      }
      open.add(pointer);
      used += drawn;
      for (const [k, v] of children(container, CHILD_PAGE)) if (isContainer(v)) next.push([childPointer(pointer, k), v]);
    }
    queue = next;
  }
  return { open, complete };
}

/** The containers open at first sight: `levels` levels (default `OPEN_LEVELS`), within `OPEN_BUDGET` lines. */
export function initiallyOpen(value: unknown, levels = OPEN_LEVELS): Set<string> {
  return openContainers(value, levels, OPEN_BUDGET).open;
}

/** "Expand all": every level, as far as `EXPAND_ALL_BUDGET` lines go. */
export function expandAll(value: unknown): { open: Set<string>; complete: boolean } {
  return openContainers(value, Infinity, EXPAND_ALL_BUDGET);
}

class Full extends Error {}

/**
 * Compact JSON of `value`, at most `max` characters (cut with "…"): for one-line summaries. It
 * stops writing as soon as it has enough, so a 2 MB value costs no more than a small one.
 */
export function preview(value: unknown, max: number): string {
  let out = '';
  const put = (s: string): void => {
    out += s;
    if (out.length > max) throw new Full();
  };
  const write = (v: unknown): void => {
    if (typeof v === 'string') put(JSON.stringify(v.length > max ? v.slice(0, max + 1) : v));
    else if (Array.isArray(v)) {
      put('[');
      v.forEach((item, i) => {
        if (i) put(',');
        write(item === undefined ? null : item);
      });
      put(']');
    } else if (isContainer(v)) {
      put('{');
      let first = true;
      for (const [k, child] of Object.entries(v)) {
        if (child === undefined) continue;
        if (!first) put(',');
        first = false;
        put(`${JSON.stringify(k)}:`);
        write(child);
      }
      put('}');
    } else put(v === undefined ? '' : String(JSON.stringify(v) ?? null));
  };
  try {
    write(value);
    return out;
  } catch (e) {
    if (!(e instanceof Full)) throw e;
    return `${out.slice(0, Math.max(0, max - 1))}…`;
  }
}

/** Whether the value's JSON is longer than `limit` characters, found without writing it all. */
export function longerThan(value: unknown, limit: number): boolean {
  let size = 0;
  const walk = (v: unknown): boolean => {
    if (typeof v === 'string') size += v.length + 2;
    else if (isContainer(v)) {
      size += 2;
      const items: Iterable<[string | number, unknown]> = Array.isArray(v) ? v.entries() : Object.entries(v);
      for (const [k, child] of items) {
        size += typeof k === 'string' ? k.length + 4 : 1;
        if (walk(child)) return true;
      }
    } else size += String(v).length;
    return size > limit;
  };
  return walk(value);
}
