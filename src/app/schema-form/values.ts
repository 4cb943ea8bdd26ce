/** The values a form holds: what a fresh form starts with, and JSON comparisons the model needs. */
import type { FormField, Schema } from './form-field.ts';

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


export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

export function typesOf(f: FormField): string[] {
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

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Schema)[k], (b as Schema)[k]));
}
