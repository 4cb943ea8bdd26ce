/**
 * The form model's vocabulary: what one field of a schema-driven form is, and the small helpers
 * every part of the model shares. No DOM: the unit tests exercise the model in Node.
 */

export type JsonSchema = Record<string, unknown> | boolean;

export type Schema = Record<string, unknown>;

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

export const isObj = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

export function join(path: string, key: string | number): string {
  return path ? `${path}.${key}` : String(key);
}

export function display(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}
