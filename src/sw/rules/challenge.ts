/**
 * What a `WWW-Authenticate` challenge from an MCP server means for the client. The header
 * itself is parsed by oauth4webapi (see oauth/challenge.ts); this turns the parsed challenges
 * into one decision.
 */

/** Shape of oauth4webapi's parsed challenge, restated so this module stays free of imports. */
export interface ParsedChallenge {
  readonly scheme: string;
  readonly parameters: Readonly<Record<string, string | undefined>>;
}

export type ChallengeDecision =
  /** 401: authorization is needed (no token, or the token was refused). */
  | { kind: 'authorize'; tokenRejected: boolean; resourceMetadata?: string; scope?: string; scheme: string }
  /** 403 insufficient_scope: step up to a wider scope (RFC 6750 §3.1, MCP S9). */
  | { kind: 'step-up'; resourceMetadata?: string; scope?: string; scheme: string; description?: string }
  /** DPoP nonce requested (RFC 9449 §9): retry with the nonce, nothing for the person to do. */
  | { kind: 'nonce'; scheme: string }
  /** A 403 that is not about scope (for example an Origin the server refuses, MCP H22). */
  | { kind: 'forbidden'; description?: string }
  /** The response carried no usable challenge. */
  | { kind: 'none' };

const SCHEMES = ['dpop', 'bearer'];

/**
 * Picks the challenge that concerns us (DPoP before Bearer, the schemes this client speaks)
 * and reads it in the light of the HTTP status.
 */
export function decideChallenge(status: number, challenges: readonly ParsedChallenge[] | undefined): ChallengeDecision {
  const ours = (challenges ?? [])
    .filter((c) => SCHEMES.includes(c.scheme.toLowerCase()))
    .sort((a, b) => SCHEMES.indexOf(a.scheme.toLowerCase()) - SCHEMES.indexOf(b.scheme.toLowerCase()));
  const nonceChallenge = ours.find((c) => c.parameters.error === 'use_dpop_nonce');
  if (nonceChallenge && status === 401) return { kind: 'nonce', scheme: nonceChallenge.scheme.toLowerCase() };

  // A server may send several of our schemes; the Bearer one is the one MCP defines, but any
  // of them may carry the resource_metadata hint, so read hints across all of ours.
  const first = ours[0];
  const pick = (name: string): string | undefined => {
    for (const c of ours) {
      const v = c.parameters[name];
      if (typeof v === 'string' && v !== '') return v;
    }
    return undefined;
  };
  const resourceMetadata = pick('resource_metadata');
  const scope = pick('scope');
  const error = pick('error');
  const description = pick('error_description');

  if (status === 403) {
    if (error === 'insufficient_scope') {
      return {
        kind: 'step-up',
        scheme: first?.scheme.toLowerCase() ?? 'bearer',
        ...(resourceMetadata ? { resourceMetadata } : {}),
        ...(scope ? { scope } : {}),
        ...(description ? { description } : {}),
      };
    }
    return { kind: 'forbidden', ...(description ? { description } : {}) };
  }
  if (status === 401) {
    return {
      kind: 'authorize',
      tokenRejected: error === 'invalid_token',
      scheme: first?.scheme.toLowerCase() ?? 'bearer',
      ...(resourceMetadata ? { resourceMetadata } : {}),
      ...(scope ? { scope } : {}),
    };
  }
  return { kind: 'none' };
}

/**
 * The first auth-param name that occurs twice within one challenge of a `WWW-Authenticate`
 * header (RFC 9110 §11.2 forbids it), or undefined. Quoted strings are skipped; a token
 * followed by whitespace and no `=` starts a new challenge.
 */
export function repeatedChallengeParameter(header: string): string | undefined {
  let seen = new Set<string>();
  let afterScheme = false;
  let i = 0;
  while (i < header.length) {
    if (header[i] === '"') {
      i++;
      while (i < header.length && header[i] !== '"') i += header[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    const token = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/.exec(header.slice(i))?.[0];
    if (!token) {
      i++;
      continue;
    }
    const rest = header.slice(i + token.length);
    const before = header.slice(0, i).trimEnd();
    const startsItem = afterScheme || before === '' || before.endsWith(',');
    const wasAfterScheme = afterScheme;
    afterScheme = false;
    if (startsItem && /^\s*=(?!=*\s*(?:,|$))/.test(rest)) {
      const name = token.toLowerCase();
      if (seen.has(name)) return name;
      seen.add(name);
    } else if (startsItem && !wasAfterScheme && (/^\s+[^\s,=]/.test(rest) || rest.trim() === '' || /^\s*,/.test(rest))) {
      seen = new Set();
      afterScheme = /^\s+[^\s,=]/.test(rest);
    }
    i += token.length;
  }
  return undefined;
}
