/**
 * JSON Schema → form model, with no DOM: which field each part of a schema becomes. The value a
 * fresh form starts with is in `values.ts`, what a value breaks in `validate.ts`. <schema-form>
 * renders this model; the unit tests exercise it in Node.
 *
 * Supported: objects (properties, required, simple allOf), arrays (items; an array of enum → a
 * multi-select), strings (formats email/uri/date/date-time/time, minLength/maxLength/pattern),
 * numbers and integers (minimum/maximum/exclusive bounds, multipleOf), booleans, enum and const
 * (enumNames, oneOf/anyOf of const+title), anyOf/oneOf (a choice of variants), nullable types,
 * local $ref (JSON pointer or $anchor). Anything else is a raw JSON field; a remote $ref is never
 * fetched, and a recursive one is followed only so far.
 */
import { display, isObj, join, type FieldKind, type FormField, type JsonSchema, type Option, type Schema } from './form-field.ts';
import { resolveRef } from './refs.ts';

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

function where(path: string): string {
  return path || 'The arguments';
}

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
