import { describe, expect, it } from 'vitest';
import { endpointAuthMethods, refusesClientAuthentication } from '../../src/sw/rules/client-auth.ts';

describe('endpointAuthMethods (RFC 7009 §2.1, RFC 8414 §2)', () => {
  it('a client without a secret sends none, wherever', () => {
    expect(endpointAuthMethods('none', ['client_secret_basic'], ['client_secret_post'])).toEqual(['none']);
  });

  it('uses the token endpoint method, alone when the server lists no other', () => {
    expect(endpointAuthMethods('client_secret_post', ['client_secret_post'], ['client_secret_post'])).toEqual(['client_secret_post']);
    expect(endpointAuthMethods('client_secret_basic', undefined, undefined)).toEqual(['client_secret_basic']);
    expect(endpointAuthMethods('client_secret_post', undefined, ['client_secret_post', 'none'])).toEqual(['client_secret_post']);
  });

  it('keeps the other listed secret method as a fallback (a server that reads the form only at revocation)', () => {
    const both = ['client_secret_post', 'client_secret_basic'];
    expect(endpointAuthMethods('client_secret_basic', both, both)).toEqual(['client_secret_basic', 'client_secret_post']);
    // No list for the endpoint: the token endpoint's list says what the server knows.
    expect(endpointAuthMethods('client_secret_basic', undefined, both)).toEqual(['client_secret_basic', 'client_secret_post']);
  });

  it('follows the endpoint’s own list when it leaves the token endpoint method out', () => {
    expect(endpointAuthMethods('client_secret_basic', ['client_secret_post'], ['client_secret_basic'])).toEqual(['client_secret_post']);
    expect(endpointAuthMethods('client_secret_post', ['client_secret_basic', 'client_secret_post'], ['client_secret_post'])).toEqual(['client_secret_post', 'client_secret_basic']);
  });
});

describe('refusesClientAuthentication', () => {
  it('is an OAuth error about the client, answered 400 or 401', () => {
    expect(refusesClientAuthentication({ status: 401, error: 'invalid_client' })).toBe(true);
    expect(refusesClientAuthentication({ status: 401, error: 'unauthorized_client' })).toBe(true);
    expect(refusesClientAuthentication({ status: 400, error: 'invalid_request' })).toBe(true);
  });
  it('is not a server failure or another error', () => {
    expect(refusesClientAuthentication({ status: 503, error: 'invalid_client' })).toBe(false);
    expect(refusesClientAuthentication({ status: 400, error: 'unsupported_token_type' })).toBe(false);
    expect(refusesClientAuthentication({ status: 400 })).toBe(false);
    expect(refusesClientAuthentication(undefined)).toBe(false);
  });
});
