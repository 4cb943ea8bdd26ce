import { describe, expect, it } from 'vitest';
import { checkTokenLifetime, checkTokenType, MAX_TOKEN_LIFETIME_S, repeatedParameter, scopesBeyond, withoutUnrequestedIdToken } from '../../src/sw/rules/token-response.ts';
import { repeatedChallengeParameter } from '../../src/sw/rules/challenge.ts';

describe('token response rules', () => {
  it('refuses a lifetime beyond a year and accepts a real one', () => {
    expect(() => checkTokenLifetime(3600)).not.toThrow();
    expect(() => checkTokenLifetime(undefined)).not.toThrow();
    expect(() => checkTokenLifetime(MAX_TOKEN_LIFETIME_S)).not.toThrow();
    expect(() => checkTokenLifetime(1e12)).toThrow(/expires_in/);
  });
  it('refuses a DPoP token answered to a request without a proof', () => {
    expect(() => checkTokenType('DPoP', false)).toThrow(/RFC 9449/);
    expect(() => checkTokenType('DPoP', true)).not.toThrow();
    expect(() => checkTokenType('Bearer', false)).not.toThrow();
  });
  it('names scopes granted beyond the request, only when scopes were requested', () => {
    expect(scopesBeyond(['a'], ['a', 'b'])).toEqual(['b']);
    expect(scopesBeyond(['a', 'b'], ['a'])).toEqual([]);
    expect(scopesBeyond(undefined, ['a'])).toEqual([]);
  });
  it('finds a repeated query parameter', () => {
    expect(repeatedParameter(new URLSearchParams('code=1&state=2'))).toBeUndefined();
    expect(repeatedParameter(new URLSearchParams('code=1&state=2&code=3'))).toBe('code');
  });
});

describe('repeated challenge parameters (RFC 9110 §11.2)', () => {
  it('finds a name repeated within one challenge', () => {
    expect(repeatedChallengeParameter('Bearer resource_metadata="a", resource_metadata="b"')).toBe('resource_metadata');
    expect(repeatedChallengeParameter('Bearer scope="a", SCOPE=b')).toBe('scope');
  });
  it('allows the same name in different challenges, in quoted strings, and token68', () => {
    expect(repeatedChallengeParameter('DPoP error="use_dpop_nonce", Bearer error="invalid_token"')).toBeUndefined();
    expect(repeatedChallengeParameter('Bearer error_description="scope=a, scope=b", scope="x"')).toBeUndefined();
    expect(repeatedChallengeParameter('Basic abc==, Bearer realm="x"')).toBeUndefined();
    expect(repeatedChallengeParameter('Basic realm="x", Bearer realm="y", resource_metadata="z"')).toBeUndefined();
  });
});

describe('withoutUnrequestedIdToken', () => {
  const body = { access_token: 'a', token_type: 'Bearer', id_token: 'x.y.z', scope: 'mcp:basic' };

  it('drops an ID token when openid was not requested', () => {
    expect(withoutUnrequestedIdToken(body, ['mcp:basic'])).toEqual({ access_token: 'a', token_type: 'Bearer', scope: 'mcp:basic' });
    expect(withoutUnrequestedIdToken(body, undefined)).toEqual({ access_token: 'a', token_type: 'Bearer', scope: 'mcp:basic' });
    expect(withoutUnrequestedIdToken(body, [])).not.toHaveProperty('id_token');
  });

  it('leaves the response alone when openid was requested: the ID token is validated then', () => {
    expect(withoutUnrequestedIdToken(body, ['openid', 'mcp:basic'])).toBeUndefined();
  });

  it('has nothing to remove without an ID token or from what is not an object', () => {
    expect(withoutUnrequestedIdToken({ access_token: 'a', token_type: 'Bearer' }, [])).toBeUndefined();
    for (const odd of [null, 'id_token', 42, [{ id_token: 'x' }]]) expect(withoutUnrequestedIdToken(odd, [])).toBeUndefined();
  });

  it('does not take a scope that merely contains the word for openid', () => {
    expect(withoutUnrequestedIdToken(body, ['openid:extra'])).not.toHaveProperty('id_token');
  });
});
