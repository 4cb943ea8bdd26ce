import { describe, expect, it } from 'vitest';
import { challengeOf } from '../../src/sw/oauth/challenge.ts';
import { decideChallenge } from '../../src/sw/rules/challenge.ts';

// challengeOf skips the header parse for any status but 401 and 403: it must decide what
// decideChallenge would have decided from the parsed header.
const nonce = [{ scheme: 'DPoP', parameters: { error: 'use_dpop_nonce' } }];
const scope = [{ scheme: 'Bearer', parameters: { error: 'insufficient_scope', scope: 'a' } }];

describe('a challenge counts only on a 401 or a 403', () => {
  it('decideChallenge reads no other status as a challenge, whatever the header says', () => {
    for (const status of [200, 201, 202, 204, 301, 400, 404, 429, 500, 503]) {
      for (const parsed of [undefined, nonce, scope]) expect(decideChallenge(status, parsed), `${status}`).toEqual({ kind: 'none' });
    }
  });
  it('challengeOf agrees, with and without a header', async () => {
    const header = { 'www-authenticate': 'DPoP error="use_dpop_nonce"' };
    expect(await challengeOf(new Response('{}', { status: 200, headers: header }))).toEqual({ kind: 'none' });
    expect(await challengeOf(new Response(null, { status: 202 }))).toEqual({ kind: 'none' });
    expect(await challengeOf(new Response(null, { status: 401, headers: header }))).toEqual({ kind: 'nonce', scheme: 'dpop' });
    expect(await challengeOf(new Response(null, { status: 403, headers: { 'www-authenticate': 'Bearer error="insufficient_scope", scope="a"' } }))).toMatchObject({
      kind: 'step-up',
      scope: 'a',
    });
  });
});
