import { describe, expect, it } from 'vitest';
import { showable } from '../../src/sw/rules/showable.ts';

describe('showable: what of an OAuth document the timeline may carry to the page', () => {
  it('drops tokens, codes, secrets and state at any depth and keeps the rest', () => {
    const doc = {
      token_type: 'DPoP',
      access_token: 'at-secret',
      refresh_token: 'rt-secret',
      id_token: 'idt',
      expires_in: 300,
      scope: 'mcp:basic',
      nested: { client_secret: 's3cret', registration_access_token: 'rat', client_id: 'abc' },
      list: [{ code: 'c0de', state: 'st4te', kept: true }],
      token_endpoint: 'https://as.example/token',
      token_endpoint_auth_methods_supported: ['none'],
    };
    const shown = showable(doc)!;
    expect(JSON.stringify(shown)).not.toMatch(/secret|rt-|idt|rat|c0de|st4te/);
    expect(shown).toEqual({
      token_type: 'DPoP',
      expires_in: 300,
      scope: 'mcp:basic',
      nested: { client_id: 'abc' },
      list: [{ kept: true }],
      token_endpoint: 'https://as.example/token',
      token_endpoint_auth_methods_supported: ['none'],
    });
  });

  it('matches member names whatever their case', () => {
    expect(showable({ Access_Token: 'x', CLIENT_SECRET: 'y', ok: 1 })).toEqual({ ok: 1 });
  });

  it('leaves out a document too big to show', () => {
    expect(showable({ big: 'x'.repeat(20_000) })).toBeUndefined();
    expect(showable({ small: 'x'.repeat(100) })).toEqual({ small: 'x'.repeat(100) });
  });
});
