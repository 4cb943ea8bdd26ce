/**
 * What a value breaks of its field's schema, which anyOf/oneOf variant it belongs to, the value
 * with empty fields pruned before sending, and whether the form can show it at all.
 */
import { display, isObj, join, type FieldError, type FormField } from './form-field.ts';
import { DATE_TIME, isoToLocal } from './datetime.ts';
import { deepEqual, jsonType, typesOf } from './values.ts';

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

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
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
