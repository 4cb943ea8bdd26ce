/**
 * What of an OAuth document the page may see in the authorization timeline. The page never
 * receives a token, code, verifier or secret (threat model: page code is the attacker's
 * reach), so these members go at any depth, whatever document they turn up in.
 */
/** Members never shown to the page, whatever document they appear in (tokens, codes, secrets). */
const SECRET_MEMBER = /^(access_token|refresh_token|id_token|code|code_verifier|client_secret|registration_access_token|state|password|assertion|client_assertion)$/i;
/** A document bigger than this (as JSON) is left out of the timeline: the step's sentence stays. */
const MAX_DOCUMENT_CHARS = 16_000;

/** A copy of `doc` without secret-bearing members at any depth, or undefined if too big to show. */
export function showable(doc: Record<string, unknown>): Record<string, unknown> | undefined {
  const json = JSON.stringify(doc, (key, value: unknown) => (key && SECRET_MEMBER.test(key) ? undefined : value));
  if (json === undefined || json.length > MAX_DOCUMENT_CHARS) return undefined;
  return JSON.parse(json) as Record<string, unknown>;
}

