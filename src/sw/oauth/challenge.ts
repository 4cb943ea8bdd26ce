/**
 * Reads `WWW-Authenticate` with oauth4webapi's RFC 9110 challenge parser. The library exposes
 * that parser only through protectedResourceRequest (as WWWAuthenticateChallengeError), so a
 * response we already hold is handed to it through customFetch; nothing is sent anywhere.
 */
import * as oauth from 'oauth4webapi';
import { decideChallenge, repeatedChallengeParameter, type ChallengeDecision, type ParsedChallenge } from '../rules/challenge.ts';

/** Longest header we are willing to parse; real challenges are a few hundred bytes. */
export const MAX_CHALLENGE_LENGTH = 8_192;

export async function parseChallenges(response: Response): Promise<ParsedChallenge[] | undefined> {
  const header = response.headers.get('www-authenticate');
  if (header === null || header.length > MAX_CHALLENGE_LENGTH) return undefined;
  // RFC 9110 §11.2: a parameter name occurs once per challenge. Which copy counts would be a
  // guess an attacker could steer (a second resource_metadata), so the header is not used.
  if (repeatedChallengeParameter(header)) return undefined;
  const replay = new Response(null, { status: response.status, headers: { 'www-authenticate': header } });
  try {
    await oauth.protectedResourceRequest('challenge-parse', 'GET', new URL('https://challenge.invalid/'), undefined, undefined, {
      [oauth.customFetch]: () => Promise.resolve(replay),
    });
  } catch (err) {
    if (err instanceof oauth.WWWAuthenticateChallengeError) {
      return err.cause.map((c) => ({ scheme: c.scheme, parameters: { ...c.parameters } as Record<string, string | undefined> }));
    }
  }
  // Unparseable header: treated like no header (the well-known fallback still applies).
  return undefined;
}

export async function challengeOf(response: Response): Promise<ChallengeDecision> {
  // Only a 401 or a 403 is read as a challenge (decideChallenge): any other answer, such as every
  // successful call, skips the header parse.
  if (response.status !== 401 && response.status !== 403) return NO_CHALLENGE;
  return decideChallenge(response.status, await parseChallenges(response));
}

const NO_CHALLENGE: ChallengeDecision = Object.freeze({ kind: 'none' });
