import { describe, expect, it } from 'vitest';
import { decideChallenge } from '../../src/sw/rules/challenge.ts';

const bearer = (parameters: Record<string, string>) => ({ scheme: 'bearer', parameters });

describe('challenge decisions (MCP D2/D3, S9)', () => {
  it('401 with resource_metadata and scope asks for authorization', () => {
    expect(decideChallenge(401, [bearer({ resource_metadata: 'https://m.example/prm', scope: 'mcp:basic' })])).toEqual({
      kind: 'authorize',
      tokenRejected: false,
      scheme: 'bearer',
      resourceMetadata: 'https://m.example/prm',
      scope: 'mcp:basic',
    });
  });
  it('401 without any header still asks for authorization (well-known fallback)', () => {
    expect(decideChallenge(401, undefined)).toEqual({ kind: 'authorize', tokenRejected: false, scheme: 'bearer' });
  });
  it('401 invalid_token marks the token as rejected', () => {
    expect(decideChallenge(401, [bearer({ error: 'invalid_token' })])).toMatchObject({ kind: 'authorize', tokenRejected: true });
  });
  it('403 insufficient_scope is a step-up with the challenged scope', () => {
    expect(
      decideChallenge(403, [bearer({ error: 'insufficient_scope', scope: 'mcp:write', error_description: 'need write' })]),
    ).toEqual({ kind: 'step-up', scheme: 'bearer', scope: 'mcp:write', description: 'need write' });
  });
  it('a 403 without insufficient_scope is not a step-up (Origin refusal, MCP H22)', () => {
    expect(decideChallenge(403, undefined)).toEqual({ kind: 'forbidden' });
    expect(decideChallenge(403, [bearer({ error: 'invalid_token' })])).toEqual({ kind: 'forbidden' });
  });
  it('DPoP nonce errors are retried, not shown', () => {
    expect(decideChallenge(401, [{ scheme: 'dpop', parameters: { error: 'use_dpop_nonce' } }])).toEqual({
      kind: 'nonce',
      scheme: 'dpop',
    });
  });
  it('ignores schemes it does not speak and prefers DPoP over Bearer', () => {
    expect(decideChallenge(401, [{ scheme: 'basic', parameters: { realm: 'x' } }])).toEqual({
      kind: 'authorize',
      tokenRejected: false,
      scheme: 'bearer',
    });
    expect(
      decideChallenge(401, [bearer({ scope: 'a' }), { scheme: 'dpop', parameters: { resource_metadata: 'https://m/p' } }]),
    ).toMatchObject({ scheme: 'dpop', scope: 'a', resourceMetadata: 'https://m/p' });
  });
  it('other statuses carry no decision', () => {
    expect(decideChallenge(200, [bearer({})])).toEqual({ kind: 'none' });
  });
});
