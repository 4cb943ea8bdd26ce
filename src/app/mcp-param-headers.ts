/**
 * Custom headers from tool parameters (MCP 2026-07-28, SEP-2243: transports "Custom headers from
 * tool parameters", server/tools "x-mcp-header"). A tool's `inputSchema` may mark a parameter
 * with `x-mcp-header: Name`; a call then carries the argument as `Mcp-Param-Name` too, so a
 * gateway can route on it without reading the body.
 *
 * The SDK client drops tools whose annotations are invalid (it does that in the browser too),
 * but it mirrors no argument into a header in a browser: it cannot know that a page's requests
 * go through a worker that makes them itself (client.ts, `callTool`: "mirroring is skipped" in a
 * browser environment). Keyhole does that step here, with the SDK's rules: the same declarations
 * the SDK accepts, the same encoding, and the reason when a tool was dropped.
 */

export interface HeaderDeclaration {
  /** The chain of `properties` keys from the root to the annotated parameter. */
  path: string[];
  /** The `x-mcp-header` value: the header is `Mcp-Param-{name}`. */
  name: string;
}

export type HeaderScan = { valid: true; declarations: HeaderDeclaration[] } | { valid: false; reason: string };

export const MCP_PARAM_PREFIX = 'Mcp-Param-';

/** RFC 9110 §5.1 token (`1*tchar`): no spaces, controls, non-ASCII or delimiters such as ":". */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** The spec admits the annotation on string, integer and boolean parameters only (not number). */
const PRIMITIVE = new Set(['string', 'integer', 'boolean']);
/** Subschema positions that are not a `properties` chain: an annotation under one is invalid. */
const ELSEWHERE = [
  'items', 'prefixItems', 'contains', 'additionalProperties', 'unevaluatedProperties', 'unevaluatedItems',
  'propertyNames', 'patternProperties', 'dependentSchemas', 'oneOf', 'anyOf', 'allOf', 'not', 'if', 'then', 'else',
  '$defs', 'definitions',
];
/** Of those, the ones whose value maps names to subschemas. */
const NAMED = new Set(['patternProperties', 'dependentSchemas', '$defs', 'definitions']);

/** The `x-mcp-header` declarations of a tool's input schema, or why they are invalid. */
export function scanHeaderDeclarations(inputSchema: unknown): HeaderScan {
  const declarations: HeaderDeclaration[] = [];
  const seen = new Map<string, string>();
  const visit = (node: unknown, path: string[], reachable: boolean): string | undefined => {
    if (node === null || typeof node !== 'object') return undefined;
    const schema = node as Record<string, unknown>;
    const where = path.length ? `parameter ${path.join('.')}` : 'the schema root';
    if ('x-mcp-header' in schema) {
      if (!reachable || path.length === 0) {
        return `x-mcp-header on ${where} is not on a parameter reached through "properties" alone (not under items, oneOf, $defs and the like)`;
      }
      const name = schema['x-mcp-header'];
      if (typeof name !== 'string' || name === '') return `x-mcp-header on ${where} is empty`;
      if (!TOKEN.test(name)) return `x-mcp-header "${name}" on ${where} is not a valid header name (no spaces, colons, control or non-ASCII characters)`;
      const type = typeof schema.type === 'string' ? schema.type : undefined;
      if (!type || !PRIMITIVE.has(type)) return `x-mcp-header "${name}" is on ${where} of type ${type ?? '(none)'}; only string, integer and boolean parameters may carry one`;
      const prior = seen.get(name.toLowerCase());
      if (prior !== undefined) return `x-mcp-header "${name}" is declared twice (also as "${prior}"; names are compared without case)`;
      seen.set(name.toLowerCase(), name);
      declarations.push({ path, name });
    }
    const properties = schema.properties;
    if (properties !== null && typeof properties === 'object') {
      for (const [key, child] of Object.entries(properties)) {
        const fault = visit(child, [...path, key], reachable);
        if (fault) return fault;
      }
    }
    for (const keyword of ELSEWHERE) {
      const sub = schema[keyword];
      if (sub === undefined || sub === null) continue;
      const branches = Array.isArray(sub) ? sub : NAMED.has(keyword) && typeof sub === 'object' ? Object.values(sub) : [sub];
      for (const branch of branches) {
        const fault = visit(branch, [...path, `<${keyword}>`], false);
        if (fault) return fault;
      }
    }
    return undefined;
  };
  const reason = visit(inputSchema, [], true);
  return reason ? { valid: false, reason } : { valid: true, declarations };
}

/** The header text of an argument: strings as they are, integers in decimal, booleans in lower case. */
function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' && Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value))) return String(value);
  return undefined;
}

/**
 * Whether a value cannot travel as plain header text (RFC 9110 §5.5): empty, leading or trailing
 * whitespace (parsers strip it), a character outside visible ASCII and tab, or text that already
 * looks like the Base64 form.
 */
function needsBase64(s: string): boolean {
  if (s === '' || s !== s.trim()) return true;
  if (s.startsWith('=?base64?') && s.endsWith('?=')) return true;
  return [...s].some((c) => {
    const code = c.codePointAt(0)!;
    return code !== 9 && (code < 0x20 || code > 0x7e);
  });
}

/** A value as a header: plain when it is safe header text, else `=?base64?{UTF-8 in Base64}?=`. */
export function encodeHeaderValue(s: string): string {
  if (!needsBase64(s)) return s;
  let binary = '';
  for (const byte of new TextEncoder().encode(s)) binary += String.fromCharCode(byte);
  return `=?base64?${btoa(binary)}?=`;
}

/** The `Mcp-Param-*` headers of one call of `tool`; a null or absent argument gets none. */
export function paramHeaders(tool: { inputSchema: unknown }, args: Record<string, unknown>): Record<string, string> {
  const scan = scanHeaderDeclarations(tool.inputSchema);
  if (!scan.valid) return {};
  const headers: Record<string, string> = {};
  for (const { path, name } of scan.declarations) {
    let value: unknown = args;
    for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    const text = value === null || value === undefined ? undefined : asText(value);
    if (text !== undefined) headers[`${MCP_PARAM_PREFIX}${name}`] = encodeHeaderValue(text);
  }
  return headers;
}
