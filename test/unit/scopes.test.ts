import { describe, expect, it } from 'vitest';
import { initialScopes, joinScope, splitScope, stepUpScopes, unionScopes } from '../../src/sw/rules/scopes.ts';

describe('scope selection for the first authorization (MCP S1)', () => {
  it('uses the challenged scope first', () => {
    expect(initialScopes({ challenged: 'mcp:basic', resourceScopesSupported: ['a', 'b'] })).toEqual(['mcp:basic']);
  });
  it('falls back to all of the resource scopes_supported', () => {
    expect(initialScopes({ resourceScopesSupported: ['mcp:basic', 'mcp:read', 'mcp:write'] })).toEqual([
      'mcp:basic',
      'mcp:read',
      'mcp:write',
    ]);
  });
  it('omits scope when nothing defines it', () => {
    expect(initialScopes({})).toBeUndefined();
    expect(initialScopes({ challenged: '  ', resourceScopesSupported: [] })).toBeUndefined();
    expect(joinScope(initialScopes({}))).toBeUndefined();
  });
  it('lets the scopes the person configured win', () => {
    expect(initialScopes({ configured: ['x'], challenged: 'y' })).toEqual(['x']);
  });
  it('adds offline_access only when the authorization server lists it (S8)', () => {
    expect(initialScopes({ challenged: 'a', serverScopesSupported: ['a', 'offline_access'] })).toEqual([
      'a',
      'offline_access',
    ]);
    expect(initialScopes({ challenged: 'a', serverScopesSupported: ['a'] })).toEqual(['a']);
    expect(initialScopes({ challenged: 'a offline_access', serverScopesSupported: ['a'] })).toEqual(['a']);
  });
});

describe('step-up scopes (MCP S3/S5, SEP-2350 union)', () => {
  it('unions what was requested with what the challenge names', () => {
    expect(stepUpScopes(['mcp:basic'], 'mcp:write')).toEqual(['mcp:basic', 'mcp:write']);
    expect(stepUpScopes(['a', 'b'], 'b c')).toEqual(['a', 'b', 'c']);
  });
  it('works when nothing was requested before', () => {
    expect(stepUpScopes(undefined, 'mcp:write')).toEqual(['mcp:write']);
    expect(stepUpScopes(undefined, undefined)).toBeUndefined();
  });
});

describe('scope strings', () => {
  it('splits on any whitespace and de-duplicates', () => {
    expect(splitScope(' a  b\ta ')).toEqual(['a', 'b']);
    expect(splitScope(undefined)).toEqual([]);
    expect(unionScopes(['a'], undefined, ['a', 'b'])).toEqual(['a', 'b']);
  });
});
