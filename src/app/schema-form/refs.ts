/** Local `$ref` resolution (JSON pointer or `$anchor`) within one schema; a remote $ref is never fetched. */
import { isObj, type JsonSchema, type Schema } from './form-field.ts';

function decodePointer(ref: string): string[] | undefined {
  let frag: string;
  try {
    frag = decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
  if (frag === '') return [];
  if (!frag.startsWith('/')) return undefined;
  return frag
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function findAnchor(node: unknown, anchor: string, seen = new Set<unknown>()): Schema | undefined {
  if (typeof node !== 'object' || node === null || seen.has(node)) return undefined;
  seen.add(node);
  if (isObj(node) && (node.$anchor === anchor || node.$dynamicAnchor === anchor)) return node;
  for (const v of Object.values(node)) {
    const found = findAnchor(v, anchor, seen);
    if (found) return found;
  }
  return undefined;
}

/** A $ref's target within the root schema, or why there is none (remote refs are never fetched). */
export function resolveRef(root: Schema, ref: string): { schema: JsonSchema } | { error: string } {
  if (!ref.startsWith('#')) {
    const id = typeof root.$id === 'string' ? root.$id : undefined;
    if (id && ref.startsWith(id) && (ref.length === id.length || ref[id.length] === '#')) {
      return resolveRef(root, ref.slice(id.length) || '#');
    }
    return { error: `refers to ${ref}, which is not fetched` };
  }
  const parts = decodePointer(ref);
  if (!parts) {
    const anchor = findAnchor(root, ref.slice(1));
    return anchor ? { schema: anchor } : { error: `refers to ${ref}, which is not in this schema` };
  }
  let node: unknown = root;
  for (const p of parts) {
    node = Array.isArray(node) && /^\d+$/.test(p) ? node[Number(p)] : isObj(node) ? node[p] : undefined;
    if (node === undefined) return { error: `refers to ${ref}, which is not in this schema` };
  }
  if (!isObj(node) && typeof node !== 'boolean') return { error: `refers to ${ref}, which is not a schema` };
  return { schema: node };
}
