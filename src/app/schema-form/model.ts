/**
 * JSON Schema → form model, with no DOM: which field each part of a schema becomes, the value a
 * fresh form starts with (defaults applied), what a value breaks, and the value with empty fields
 * pruned. <schema-form> renders this model; the unit tests exercise it in Node.
 *
 * Supported: objects (properties, required, simple allOf), arrays (items; an array of enum → a
 * multi-select), strings (formats email/uri/date/date-time/time, minLength/maxLength/pattern),
 * numbers and integers (minimum/maximum/exclusive bounds, multipleOf), booleans, enum and const
 * (enumNames, oneOf/anyOf of const+title), anyOf/oneOf (a choice of variants), nullable types,
 * local $ref (JSON pointer or $anchor). Anything else is a raw JSON field; a remote $ref is never
 * fetched, and a recursive one is followed only so far.
 */

export type JsonSchema = Record<string, unknown> | boolean;

type Schema = Record<string, unknown>;

export type FieldKind = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'multi-enum' | 'choice' | 'raw';

export interface Option {
  value: unknown;
  label: string;
}

export interface FormField {
  kind: FieldKind;
  /** Property key within the parent object ('' for the root, array items and variants). */
  key: string;
  /** Visible label: the schema's title, else the key. */
  label: string;
  description?: string;
  /** Required within its parent object (the root, items and variants are required). */
  required: boolean;
  /** `null` is allowed too. */
  nullable?: boolean;
  /** The schema's `default` (hasDefault tells a default of `undefined` apart from none). */
  default?: unknown;
  hasDefault?: boolean;
  /** An enum of one value that came from `const` (a variant's tag). */
  isConst?: boolean;
  // string
  format?: string;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  // number / integer
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  // enum / multi-enum
  options?: Option[];
  // object
  properties?: FormField[];
  // array / multi-enum
  items?: FormField;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  // choice (anyOf / oneOf)
  variants?: { label: string; field: FormField }[];
  // raw
  /** Why this part is raw JSON (absent when the schema simply allows any value). */
  note?: string;
  /** JSON types a raw field's schema names, checked on read. */
  types?: string[];
}

export interface FieldError {
  /** Dotted path from the root ('' for the root itself), e.g. 'address.city' or 'tags.0'. */
  path: string;
  message: string;
}

const MAX_DEPTH = 16;
/** How often one $ref may be expanded inside itself before the rest is raw JSON. */
const MAX_REF_REPEAT = 2;

interface Ctx {
  root: Schema;
  warnings: string[];
  refs: string[];
  depth: number;
  path: string;
}

const isObj = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

function join(path: string, key: string | number): string {
  return path ? `${path}.${key}` : String(key);
}

function where(path: string): string {
  return path || 'The arguments';
}

function display(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

// ---------------------------------------------------------------------------------------------
// Building

export function buildForm(schema: JsonSchema): { root: FormField; warnings: string[] } {
  const ctx: Ctx = { root: isObj(schema) ? schema : {}, warnings: [], refs: [], depth: 0, path: '' };
  const root = build(schema, '', true, ctx);
  return { root, warnings: ctx.warnings };
}

function typeList(s: Schema): string[] {
  if (typeof s.type === 'string') return [s.type];
  if (Array.isArray(s.type)) return s.type.filter((t): t is string => typeof t === 'string');
  return [];
}

function base(kind: FieldKind, key: string, s: Schema, required: boolean): FormField {
  const f: FormField = { kind, key, label: typeof s.title === 'string' && s.title.trim() ? s.title : key, required };
  if (typeList(s).includes('null')) f.nullable = true;
  if (typeof s.description === 'string' && s.description.trim()) f.description = s.description;
  if ('default' in s && s.default !== undefined) {
    f.default = s.default;
    f.hasDefault = true;
  }
  return f;
}

function raw(key: string, s: Schema, required: boolean, note?: string): FormField {
  const f = base('raw', key, s, required);
  if (note) f.note = note;
  const types = typeList(s).filter((t) => t !== 'null');
  if (types.length) f.types = types;
  return f;
}

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

/** Follows $ref (sibling keywords win over the target's) and merges a simple allOf. */
function flatten(s: Schema, ctx: Ctx): { schema: Schema; refs: string[] } | { error: string } {
  let cur = s;
  const refs: string[] = [];
  for (let hops = 0; typeof cur.$ref === 'string'; hops++) {
    const ref = cur.$ref;
    if (hops > 32) return { error: 'has a $ref chain too long to follow' };
    const seen = [...ctx.refs, ...refs].filter((r) => r === ref).length;
    if (seen >= MAX_REF_REPEAT) return { error: `is recursive (${ref}), so it is entered as JSON` };
    const target = resolveRef(ctx.root, ref);
    if ('error' in target) return target;
    refs.push(ref);
    const { $ref: _ref, ...siblings } = cur;
    const t: Schema = target.schema === false ? { not: {} } : target.schema === true ? {} : target.schema;
    cur = { ...t, ...siblings };
    if (typeof t.$ref === 'string') cur.$ref = t.$ref;
  }
  if (Array.isArray(cur.allOf)) {
    const merged = mergeAllOf(cur, { ...ctx, refs: [...ctx.refs, ...refs] });
    if ('error' in merged) return merged;
    cur = merged.schema;
  }
  return { schema: cur, refs };
}

function mergeAllOf(s: Schema, ctx: Ctx): { schema: Schema } | { error: string } {
  const { allOf, ...rest } = s;
  let out: Schema = { ...rest };
  for (const part of allOf as unknown[]) {
    if (part === true) continue;
    if (!isObj(part)) return { error: 'has an allOf the form cannot merge' };
    const flat = flatten(part, ctx);
    if ('error' in flat) return flat;
    const p = flat.schema;
    if (p.type !== undefined && out.type !== undefined && JSON.stringify(p.type) !== JSON.stringify(out.type)) {
      return { error: 'has an allOf of different types' };
    }
    if (['anyOf', 'oneOf'].some((k) => k in p && k in out)) return { error: 'has an allOf of several anyOf/oneOf' };
    const props: Schema = { ...(isObj(out.properties) ? out.properties : {}) };
    for (const [k, v] of Object.entries(isObj(p.properties) ? p.properties : {})) {
      props[k] = k in props ? { allOf: [props[k], v] } : v;
    }
    const req = [...new Set([...(Array.isArray(out.required) ? out.required : []), ...(Array.isArray(p.required) ? p.required : [])])];
    const { properties: _p, required: _r, ...pRest } = p;
    out = { ...pRest, ...out };
    if (Object.keys(props).length) out.properties = props;
    if (req.length) out.required = req;
    if (out.type === undefined && out.properties) out.type = 'object';
  }
  return { schema: out };
}

const NOT_CHECKED = ['not', 'if', 'dependentSchemas', 'dependentRequired', 'patternProperties', 'propertyNames', 'contains'];

function build(input: unknown, key: string, required: boolean, ctx: Ctx): FormField {
  if (input === true || input === undefined) return raw(key, {}, required);
  if (input === false) {
    ctx.warnings.push(`${where(ctx.path)}: the schema allows no value here`);
    return raw(key, {}, required, 'the schema allows no value here');
  }
  if (!isObj(input)) {
    ctx.warnings.push(`${where(ctx.path)}: not a schema`);
    return raw(key, {}, required, 'not understood as a schema');
  }
  if (ctx.depth > MAX_DEPTH) {
    ctx.warnings.push(`${where(ctx.path)}: nested too deeply for a form, so it is entered as JSON`);
    return raw(key, input, required, 'nested too deeply for a form');
  }
  const flat = flatten(input, ctx);
  if ('error' in flat) {
    ctx.warnings.push(`${where(ctx.path)} ${flat.error}`);
    return raw(key, input, required, `the schema ${flat.error}`);
  }
  const s = flat.schema;
  for (const k of NOT_CHECKED) {
    if (k in s) ctx.warnings.push(`${where(ctx.path)}: "${k}" is not checked by the form (the server checks it)`);
  }
  return buildFlat(s, key, required, { ...ctx, refs: [...ctx.refs, ...flat.refs], depth: ctx.depth + 1 });
}

function constOptions(list: unknown[]): Option[] | undefined {
  const opts: Option[] = [];
  for (const v of list) {
    if (!isObj(v) || !('const' in v)) return undefined;
    if (Object.keys(v).some((k) => !['const', 'title', 'description', 'type'].includes(k))) return undefined;
    opts.push({ value: v.const, label: typeof v.title === 'string' && v.title ? v.title : display(v.const) });
  }
  return opts;
}

/** enum (with enumNames), or a oneOf/anyOf made only of {const, title}. */
function enumOptions(s: Schema): Option[] | undefined {
  if (Array.isArray(s.enum)) {
    const names = Array.isArray(s.enumNames) && s.enumNames.length === s.enum.length ? s.enumNames : undefined;
    return s.enum.map((v, i) => ({ value: v, label: typeof names?.[i] === 'string' ? (names[i] as string) : display(v) }));
  }
  for (const k of ['oneOf', 'anyOf'] as const) {
    const list = s[k];
    if (Array.isArray(list) && list.length) {
      const opts = constOptions(list);
      if (opts) return opts;
    }
  }
  return undefined;
}

const isNullSchema = (v: unknown) => isObj(v) && (v.type === 'null' || ('const' in v && v.const === null));

function omit(s: Schema, keys: string[]): Schema {
  const out = { ...s };
  for (const k of keys) delete out[k];
  return out;
}

function num(s: Schema, k: string): number | undefined {
  return typeof s[k] === 'number' && Number.isFinite(s[k]) ? (s[k] as number) : undefined;
}

function buildFlat(s: Schema, key: string, required: boolean, ctx: Ctx): FormField {
  // const, enum, oneOf/anyOf of const: a select.
  if ('const' in s) {
    const f = base('enum', key, s, required);
    f.options = [{ value: s.const, label: display(s.const) }];
    f.isConst = true;
    return f;
  }
  const opts = enumOptions(s);
  if (opts) {
    const f = base('enum', key, s, required);
    const nonNull = opts.filter((o) => o.value !== null);
    if (nonNull.length < opts.length) f.nullable = true;
    f.options = nonNull;
    return f;
  }

  // anyOf/oneOf: null variants make the field nullable; one variant left → that field; several → a choice.
  for (const k of ['anyOf', 'oneOf'] as const) {
    const list = s[k];
    if (!Array.isArray(list)) continue;
    const rest = omit(s, [k]);
    const nonNull = list.filter((v) => !isNullSchema(v));
    const nullable = nonNull.length < list.length;
    if (nonNull.length === 0) return raw(key, rest, required, 'only null is allowed');
    if (nonNull.length === 1) {
      const only = nonNull[0];
      const merged = isObj(only) ? { ...omit(only, ['title', 'description', 'default']), ...rest } : rest;
      const f = only === true || isObj(only) ? build(merged, key, required, ctx) : raw(key, rest, required);
      if (nullable) f.nullable = true;
      return f;
    }
    const f = base('choice', key, s, required);
    if (nullable) f.nullable = true;
    const shared = omit(rest, ['title', 'description', 'default']);
    f.variants = nonNull.map((v, i) => {
      const vs = isObj(v) ? { ...shared, ...v } : v;
      const field = build(vs, '', true, ctx);
      return { label: variantLabel(vs, field, i), field };
    });
    dedupeLabels(f.variants);
    return f;
  }

  const types = typeList(s).filter((t) => t !== 'null');
  if (types.length > 1) {
    // Several types: a choice of one variant per type.
    const f = base('choice', key, s, required);
    const shared = omit(s, ['title', 'description', 'default', 'type']);
    f.variants = types.map((t, i) => {
      const vs = { ...shared, type: t };
      const field = build(vs, '', true, ctx);
      return { label: variantLabel(vs, field, i), field };
    });
    return f;
  }
  let type = types[0];
  if (type === undefined) {
    if (isObj(s.properties) || Array.isArray(s.required)) type = 'object';
    else if ('items' in s || 'minItems' in s || 'maxItems' in s) type = 'array';
    else if ('minLength' in s || 'maxLength' in s || 'pattern' in s || 'format' in s) type = 'string';
    else if ('minimum' in s || 'maximum' in s || 'multipleOf' in s) type = 'number';
  }

  switch (type) {
    case 'object': {
      const props = isObj(s.properties) ? s.properties : {};
      const keys = Object.keys(props);
      const ap = s.additionalProperties;
      if (!keys.length && ((isObj(ap) && Object.keys(ap).length > 0) || 'patternProperties' in s)) {
        // A map of free keys: JSON.
        return raw(key, s, required);
      }
      const req = new Set(Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : []);
      const f = base('object', key, s, required);
      f.properties = keys.map((k) => build(props[k], k, req.has(k), { ...ctx, path: join(ctx.path, k) }));
      for (const r of req) if (!(r in props)) f.properties.push(raw(r, {}, true));
      return f;
    }
    case 'array': {
      if ('prefixItems' in s || Array.isArray(s.items)) {
        ctx.warnings.push(`${where(ctx.path)}: a tuple (prefixItems) is entered as JSON`);
        return raw(key, s, required, 'a list of fixed positions');
      }
      const items = s.items;
      if (items === undefined || items === true) return raw(key, s, required);
      let f: FormField;
      const flatItems = isObj(items) ? flatten(items, ctx) : undefined;
      const itemOpts = flatItems && !('error' in flatItems) ? enumOptions(flatItems.schema) : undefined;
      if (itemOpts) {
        f = base('multi-enum', key, s, required);
        f.options = itemOpts;
      } else {
        f = base('array', key, s, required);
        f.items = build(items, '', true, { ...ctx, path: join(ctx.path, '*') });
        if (!f.items.label) f.items.label = f.label;
        if (s.uniqueItems === true) f.uniqueItems = true;
      }
      if (num(s, 'minItems') !== undefined) f.minItems = num(s, 'minItems');
      if (num(s, 'maxItems') !== undefined) f.maxItems = num(s, 'maxItems');
      return f;
    }
    case 'string': {
      const f = base('string', key, s, required);
      if (typeof s.format === 'string') f.format = s.format;
      if (num(s, 'minLength') !== undefined) f.minLength = num(s, 'minLength');
      if (num(s, 'maxLength') !== undefined) f.maxLength = num(s, 'maxLength');
      if (typeof s.pattern === 'string') f.pattern = s.pattern;
      return f;
    }
    case 'number':
    case 'integer': {
      const f = base(type, key, s, required);
      for (const k of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'] as const) {
        const n = num(s, k);
        if (n !== undefined) f[k] = n;
      }
      // draft-04: boolean exclusive bounds
      if (s.exclusiveMinimum === true && f.minimum !== undefined) {
        f.exclusiveMinimum = f.minimum;
        delete f.minimum;
      }
      if (s.exclusiveMaximum === true && f.maximum !== undefined) {
        f.exclusiveMaximum = f.maximum;
        delete f.maximum;
      }
      return f;
    }
    case 'boolean':
      return base('boolean', key, s, required);
    case 'null':
      return raw(key, s, required, 'only null is allowed');
    default:
      if (type !== undefined) ctx.warnings.push(`${where(ctx.path)}: unknown type "${type}", entered as JSON`);
      return raw(key, s, required);
  }
}

function variantLabel(vs: unknown, field: FormField, i: number): string {
  if (isObj(vs) && typeof vs.title === 'string' && vs.title.trim()) return vs.title;
  if (field.kind === 'object') {
    const tag = field.properties?.find((p) => p.isConst && p.options?.[0]?.value !== null);
    if (tag?.options?.[0]) return display(tag.options[0].value);
  }
  if (field.isConst && field.options?.[0]) return display(field.options[0].value);
  const names: Record<FieldKind, string> = {
    object: 'object',
    array: 'list',
    'multi-enum': 'list',
    string: 'text',
    number: 'number',
    integer: 'integer',
    boolean: 'true/false',
    enum: 'choice',
    choice: 'choice',
    raw: 'JSON',
  };
  return names[field.kind] ?? `option ${i + 1}`;
}

function dedupeLabels(variants: { label: string }[]): void {
  const counts = new Map<string, number>();
  for (const v of variants) counts.set(v.label, (counts.get(v.label) ?? 0) + 1);
  const seen = new Map<string, number>();
  for (const v of variants) {
    if ((counts.get(v.label) ?? 0) < 2) continue;
    const n = (seen.get(v.label) ?? 0) + 1;
    seen.set(v.label, n);
    v.label = `${v.label} ${n}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Values

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/**
 * The value a fresh form starts with: every default (MCP elicitation: defaults are prefilled), a
 * const tag, false for a required checkbox; optional fields without a default are left out.
 */
export function initialValue(field: FormField): unknown {
  if (field.hasDefault) return clone(field.default);
  switch (field.kind) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const p of field.properties ?? []) {
        const v = initialValue(p);
        if (v !== undefined) out[p.key] = v;
      }
      return Object.keys(out).length || field.required ? out : undefined;
    }
    case 'boolean':
      return field.required ? false : undefined;
    case 'enum':
      return field.isConst || (field.required && field.options?.length === 1) ? clone(field.options?.[0]?.value) : undefined;
    case 'array':
    case 'multi-enum':
      return field.required ? [] : undefined;
    case 'choice': {
      const first = field.variants?.[0];
      return first && field.required ? initialValue(first.field) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The value to send: empty text ('') and undefined dropped everywhere (a required one is then
 * reported missing by validateValue), empty items dropped from lists, optional lists and optional
 * objects left empty dropped, and a required field that allows null sent as null when left empty.
 * Keys the form does not know (typed in JSON mode) are kept.
 */
export function pruneEmpty(field: FormField, value: unknown): unknown {
  if (value === undefined || value === '') return undefined;
  switch (field.kind) {
    case 'object': {
      if (!isObj(value)) return value;
      const out: Record<string, unknown> = {};
      for (const p of field.properties ?? []) {
        const pv = pruneEmpty(p, value[p.key]);
        if (pv === undefined) {
          if (p.required && p.nullable) out[p.key] = null;
          continue;
        }
        if (!p.required && !p.hasDefault && Array.isArray(pv) && pv.length === 0) continue;
        if (!p.required && !p.hasDefault && p.kind === 'object' && isEmptyObject(pv)) continue;
        out[p.key] = pv;
      }
      const known = new Set((field.properties ?? []).map((p) => p.key));
      for (const [k, v] of Object.entries(value)) {
        if (!known.has(k) && v !== undefined) out[k] = v;
      }
      return out;
    }
    case 'array': {
      if (!Array.isArray(value) || !field.items) return value;
      return value.map((item) => pruneEmpty(field.items!, item)).filter((item) => item !== undefined);
    }
    case 'choice': {
      const variant = field.variants?.[chooseVariant(field, value)];
      return variant ? pruneEmpty(variant.field, value) : value;
    }
    default:
      return value;
  }
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typesOf(f: FormField): string[] {
  switch (f.kind) {
    case 'object':
      return ['object'];
    case 'array':
    case 'multi-enum':
      return ['array'];
    case 'string':
      return ['string'];
    case 'number':
      return ['number', 'integer'];
    case 'integer':
      return ['integer'];
    case 'boolean':
      return ['boolean'];
    case 'enum':
      return [...new Set((f.options ?? []).map((o) => jsonType(o.value)))];
    case 'choice':
      return (f.variants ?? []).flatMap((v) => typesOf(v.field));
    case 'raw':
      return f.types ?? [];
  }
}

/** Which anyOf/oneOf variant a value belongs to: the one it fits best (a disagreeing const tag counts most). */
export function chooseVariant(field: FormField, value: unknown): number {
  const variants = field.variants ?? [];
  if (value === undefined) return 0;
  let best = 0;
  let bestScore = Infinity;
  const t = jsonType(value);
  variants.forEach((v, i) => {
    const types = typesOf(v.field);
    const typeOk = !types.length || types.includes(t) || (t === 'integer' && types.includes('number'));
    let score = typeOk ? 0 : 1000;
    if (typeOk) {
      if (v.field.kind === 'object' && isObj(value)) {
        for (const p of v.field.properties ?? []) {
          if (p.isConst && p.key in value && !deepEqual(value[p.key], p.options?.[0]?.value)) score += 100;
        }
      }
      score += validateValue(v.field, value).length;
    }
    if (score < bestScore) {
      best = i;
      bestScore = score;
    }
  });
  return best;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Schema)[k], (b as Schema)[k]));
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$/;
const TIME = /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})?$/;

function validDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function formatError(format: string | undefined, v: string): string | undefined {
  switch (format) {
    case 'email':
      return EMAIL.test(v) ? undefined : 'must be an email address';
    case 'uri':
    case 'url':
    case 'iri':
      return URL.canParse(v) ? undefined : 'must be an absolute URI, such as https://example.com/';
    case 'date':
      return validDate(v) ? undefined : 'must be a date (YYYY-MM-DD)';
    case 'date-time':
      return DATE_TIME.test(v) && !Number.isNaN(Date.parse(v)) ? undefined : 'must be a date and time';
    case 'time':
      return TIME.test(v) ? undefined : 'must be a time (HH:MM)';
    default:
      return undefined;
  }
}

const isEmptyObject = (v: unknown): boolean => isObj(v) && Object.keys(v).length === 0;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What a value breaks of the field's schema, each with the dotted path of the part at fault. */
export function validateValue(field: FormField, value: unknown, path = ''): FieldError[] {
  const out: FieldError[] = [];
  check(field, value, path, out);
  return out;
}

function check(f: FormField, v: unknown, path: string, out: FieldError[]): void {
  const err = (message: string): void => {
    out.push({ path, message });
  };
  if (v === undefined || (v === '' && f.kind === 'string' && f.required)) {
    // A required field that allows null is sent as null when left empty (pruneEmpty).
    if (f.required && !f.nullable) err('is required');
    return;
  }
  if (v === null && f.nullable) return;
  switch (f.kind) {
    case 'object': {
      if (!isObj(v)) return err('must be an object');
      // An optional object left empty is not sent (pruneEmpty), so its required fields are not asked.
      if (!f.required && !f.hasDefault && isEmptyObject(pruneEmpty(f, v))) return;
      for (const p of f.properties ?? []) check(p, v[p.key], join(path, p.key), out);
      return;
    }
    case 'array': {
      if (!Array.isArray(v)) return err('must be a list');
      if (f.minItems !== undefined && v.length < f.minItems) err(`needs at least ${plural(f.minItems, 'item')}`);
      if (f.maxItems !== undefined && v.length > f.maxItems) err(`allows at most ${plural(f.maxItems, 'item')}`);
      if (f.uniqueItems && v.some((x, i) => v.findIndex((y) => deepEqual(x, y)) !== i)) err('must not repeat an item');
      if (f.items) v.forEach((item, i) => check(f.items!, item, join(path, i), out));
      return;
    }
    case 'multi-enum': {
      if (!Array.isArray(v)) return err('must be a list');
      if (v.some((x) => !(f.options ?? []).some((o) => deepEqual(o.value, x)))) return err('must be one of the choices');
      if (f.minItems !== undefined && v.length < f.minItems) err(`needs at least ${f.minItems}`);
      if (f.maxItems !== undefined && v.length > f.maxItems) err(`allows at most ${f.maxItems}`);
      return;
    }
    case 'string': {
      if (typeof v !== 'string') return err('must be text');
      if (v === '') return;
      const len = [...v].length;
      if (f.minLength !== undefined && len < f.minLength) err(`must be at least ${plural(f.minLength, 'character')}`);
      if (f.maxLength !== undefined && len > f.maxLength) err(`must be at most ${plural(f.maxLength, 'character')}`);
      const fe = formatError(f.format, v);
      if (fe) return err(fe); // a pattern that spells out the format would only say it again, less clearly
      if (f.pattern !== undefined) {
        let re: RegExp | undefined;
        try {
          re = new RegExp(f.pattern, 'u');
        } catch {
          re = undefined; // a pattern JavaScript cannot compile is left to the server
        }
        if (re && !re.test(v)) err(`must match the pattern ${f.pattern}`);
      }
      return;
    }
    case 'number':
    case 'integer': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return err('must be a number');
      if (f.kind === 'integer' && !Number.isInteger(v)) return err('must be a whole number');
      if (f.minimum !== undefined && v < f.minimum) err(`must be at least ${f.minimum}`);
      if (f.maximum !== undefined && v > f.maximum) err(`must be at most ${f.maximum}`);
      if (f.exclusiveMinimum !== undefined && v <= f.exclusiveMinimum) err(`must be more than ${f.exclusiveMinimum}`);
      if (f.exclusiveMaximum !== undefined && v >= f.exclusiveMaximum) err(`must be less than ${f.exclusiveMaximum}`);
      if (f.multipleOf !== undefined && f.multipleOf > 0) {
        const q = v / f.multipleOf;
        if (Math.abs(q - Math.round(q)) > 1e-9 * Math.max(1, Math.abs(q))) err(`must be a multiple of ${f.multipleOf}`);
      }
      return;
    }
    case 'boolean':
      if (typeof v !== 'boolean') err('must be true or false');
      return;
    case 'enum':
      if (!(f.options ?? []).some((o) => deepEqual(o.value, v))) err(f.isConst ? `must be ${display(f.options?.[0]?.value)}` : 'must be one of the choices');
      return;
    case 'choice': {
      const variant = f.variants?.[chooseVariant(f, v)];
      if (variant) check(variant.field, v, path, out);
      return;
    }
    case 'raw': {
      if (f.types?.length) {
        const t = jsonType(v);
        if (!f.types.includes(t) && !(t === 'integer' && f.types.includes('number'))) err(`must be of type ${f.types.join(' or ')}`);
      }
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// date-time ⇄ <input type="datetime-local"> (local time, to the second)

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** An ISO 8601 date-time → the local 'YYYY-MM-DDTHH:MM:SS' a datetime-local input shows ('' if it is none). */
export function isoToLocal(iso: unknown): string {
  if (typeof iso !== 'string' || !DATE_TIME.test(iso)) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A datetime-local input's value (local time) → ISO 8601 in UTC with seconds ('2026-11-23T08:30:15Z'); '' (or nonsense) → ''. */
export function localToIso(local: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(local);
  if (!m) return '';
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), Number((m[7] ?? '0').padEnd(3, '0')));
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().replace('.000Z', 'Z');
}

/**
 * Can the form show this value (for JSON → form)? Types, choices and date formats must fit what
 * the inputs can hold; bounds and required fields need not (the form shows those as errors).
 * Returns why not, or undefined when it fits.
 */
export function fitsForm(field: FormField, value: unknown, path = ''): string | undefined {
  if (value === undefined || (value === null && field.nullable)) return undefined;
  const at = path || 'the value';
  const t = jsonType(value);
  switch (field.kind) {
    case 'object': {
      if (!isObj(value)) return `${at} is not an object`;
      for (const p of field.properties ?? []) {
        const why = fitsForm(p, value[p.key], join(path, p.key));
        if (why) return why;
      }
      // A key the form has no field for would be sent without being shown.
      const extra = Object.keys(value).find((k) => !(field.properties ?? []).some((p) => p.key === k));
      return extra === undefined ? undefined : `${join(path, extra)} is not a field of the form`;
    }
    case 'array': {
      if (!Array.isArray(value)) return `${at} is not a list`;
      for (const [i, item] of value.entries()) {
        const why = field.items ? fitsForm(field.items, item, join(path, i)) : undefined;
        if (why) return why;
      }
      return undefined;
    }
    case 'multi-enum':
      if (!Array.isArray(value)) return `${at} is not a list`;
      return value.every((x) => (field.options ?? []).some((o) => deepEqual(o.value, x))) ? undefined : `${at} has a value that is not one of the choices`;
    case 'enum':
      return (field.options ?? []).some((o) => deepEqual(o.value, value)) ? undefined : `${at} is not one of the choices`;
    case 'string':
      if (t !== 'string') return `${at} is not text`;
      if (field.format === 'date-time' && value !== '' && !isoToLocal(value)) return `${at} is not an ISO 8601 date and time`;
      if ((field.format === 'date' || field.format === 'time') && value !== '' && formatError(field.format, value as string)) return `${at} ${formatError(field.format, value as string)}`;
      return undefined;
    case 'number':
      return t === 'number' || t === 'integer' ? undefined : `${at} is not a number`;
    case 'integer':
      return t === 'integer' ? undefined : `${at} is not a whole number`;
    case 'boolean':
      return t === 'boolean' ? undefined : `${at} is not true or false`;
    case 'choice': {
      const variant = field.variants?.[chooseVariant(field, value)];
      return variant ? fitsForm(variant.field, value, path) : undefined;
    }
    case 'raw':
      return undefined;
  }
}
