import { describe, expect, it } from 'vitest';
import {
  authorizationServerMetadataUrls,
  legacyDefaultEndpoints,
  protectedResourceMetadataUrls,
} from '../../src/sw/rules/well-known.ts';

describe('protected resource metadata URLs (MCP D4, RFC 9728 §3.1)', () => {
  it('tries the path-inserted URL, then the root', () => {
    expect(protectedResourceMetadataUrls('https://example.com/public/mcp')).toEqual([
      'https://example.com/.well-known/oauth-protected-resource/public/mcp',
      'https://example.com/.well-known/oauth-protected-resource',
    ]);
  });
  it('has only the root URL for an endpoint at the root (D5)', () => {
    expect(protectedResourceMetadataUrls('https://example.com/')).toEqual([
      'https://example.com/.well-known/oauth-protected-resource',
    ]);
    expect(protectedResourceMetadataUrls('https://example.com')).toEqual([
      'https://example.com/.well-known/oauth-protected-resource',
    ]);
  });
  it('drops a terminating slash of the path and keeps the port', () => {
    expect(protectedResourceMetadataUrls('http://localhost:8080/mcp/')[0]).toBe(
      'http://localhost:8080/.well-known/oauth-protected-resource/mcp',
    );
  });
  it('keeps a query component after the path', () => {
    expect(protectedResourceMetadataUrls('https://example.com/mcp?tenant=a')[0]).toBe(
      'https://example.com/.well-known/oauth-protected-resource/mcp?tenant=a',
    );
  });
});

describe('authorization server metadata URLs (MCP M3/M4)', () => {
  it('issuer with a path: RFC 8414 inserted, OIDC inserted, OIDC appended', () => {
    expect(authorizationServerMetadataUrls('https://auth.example.com/tenant1')).toEqual([
      { url: 'https://auth.example.com/.well-known/oauth-authorization-server/tenant1', kind: 'oauth' },
      { url: 'https://auth.example.com/.well-known/openid-configuration/tenant1', kind: 'oidc' },
      { url: 'https://auth.example.com/tenant1/.well-known/openid-configuration', kind: 'oidc' },
    ]);
  });
  it('issuer without a path: RFC 8414 then OIDC at the root', () => {
    expect(authorizationServerMetadataUrls('https://auth.example.com')).toEqual([
      { url: 'https://auth.example.com/.well-known/oauth-authorization-server', kind: 'oauth' },
      { url: 'https://auth.example.com/.well-known/openid-configuration', kind: 'oidc' },
    ]);
  });
  it('never tries the root document for an issuer with a path (conformance trap)', () => {
    const urls = authorizationServerMetadataUrls('http://localhost:3000/tenant1/').map((u) => u.url);
    expect(urls).not.toContain('http://localhost:3000/.well-known/oauth-authorization-server');
    expect(urls).not.toContain('http://localhost:3000/.well-known/openid-configuration');
    expect(urls[2]).toBe('http://localhost:3000/tenant1/.well-known/openid-configuration');
  });
  it('nested issuer paths stay whole', () => {
    expect(authorizationServerMetadataUrls('https://a.example/x/y')[0]?.url).toBe(
      'https://a.example/.well-known/oauth-authorization-server/x/y',
    );
  });
});

describe('2025-03-26 fallback endpoints', () => {
  it('drops the path and uses the default endpoint paths', () => {
    expect(legacyDefaultEndpoints('https://mcp.example.com/v1/mcp')).toEqual({
      authorization_endpoint: 'https://mcp.example.com/authorize',
      token_endpoint: 'https://mcp.example.com/token',
      registration_endpoint: 'https://mcp.example.com/register',
    });
  });
});
