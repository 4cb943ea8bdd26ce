/**
 * Issuer comparisons are simple string comparisons, never normalised (RFC 8414 §3.3,
 * RFC 9207 §2.4, MCP M5 and I3): `https://as.example` and `https://as.example/` differ.
 */
export function sameIssuer(a: string | undefined, b: string | undefined): boolean {
  return typeof a === 'string' && typeof b === 'string' && a === b;
}
