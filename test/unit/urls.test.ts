import { describe, expect, it } from 'vitest';
import { checkEndpointUrl, isLoopbackHost, isSameEndpoint, resourceCovers, serverKey, suggestEndpointUrl } from '../../src/sw/rules/urls.ts';

describe('loopback hosts', () => {
  it.each(['localhost', 'LOCALHOST', 'app.localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1'])('%s is loopback', (h) => {
    expect(isLoopbackHost(h)).toBe(true);
  });
  it.each(['example.com', '10.0.0.1', '192.168.1.1', '128.0.0.1', 'localhost.example.com', '[::2]'])('%s is not', (h) => {
    expect(isLoopbackHost(h)).toBe(false);
  });
});

describe('endpoint URL scheme rules (MCP C1/C3/P10)', () => {
  it('accepts https anywhere and http on loopback', () => {
    expect(checkEndpointUrl('https://as.example.com/token', 'token endpoint').href).toBe('https://as.example.com/token');
    expect(checkEndpointUrl('http://127.0.0.1:9000/token', 'token endpoint').port).toBe('9000');
    expect(checkEndpointUrl('http://localhost/authorize', 'x').hostname).toBe('localhost');
  });
  it('refuses http off loopback and names the endpoint', () => {
    expect(() => checkEndpointUrl('http://as.example.com/token', 'The token endpoint')).toThrow(
      /The token endpoint uses http:\/\/ off loopback/,
    );
  });
  it.each(['javascript:alert(1)', 'data:text/html,hi', 'file:///etc/passwd', 'vbscript:x', 'ftp://a.example/'])(
    'refuses %s',
    (u) => {
      expect(() => checkEndpointUrl(u, 'The authorization endpoint')).toThrow(/scheme/);
    },
  );
  it('refuses relative, empty, non-string and userinfo URLs', () => {
    expect(() => checkEndpointUrl('/token', 'x')).toThrow(/not a valid absolute URL/);
    expect(() => checkEndpointUrl('', 'x')).toThrow(/missing/);
    expect(() => checkEndpointUrl(42, 'x')).toThrow(/missing/);
    expect(() => checkEndpointUrl('https://user:pw@as.example/', 'x')).toThrow(/user info/);
  });
});

describe('an endpoint typed without its scheme (issue 20, item 7)', () => {
  it.each([
    ['localhost:4375/mcp', 'http://localhost:4375/mcp'],
    ['localhost/mcp', 'http://localhost/mcp'],
    ['LOCALHOST:4375', 'http://LOCALHOST:4375'],
    ['app.localhost:8080/mcp', 'http://app.localhost:8080/mcp'],
    ['127.0.0.1:3000/mcp', 'http://127.0.0.1:3000/mcp'],
    ['[::1]:3000/mcp', 'http://[::1]:3000/mcp'],
    ['  localhost:4375/mcp  ', 'http://localhost:4375/mcp'],
    ['//localhost:4375/mcp', 'http://localhost:4375/mcp'],
    ['example.com/mcp', 'https://example.com/mcp'],
    ['mcp.example.com', 'https://mcp.example.com'],
    ['mcp.example.com:8443/mcp?x=1', 'https://mcp.example.com:8443/mcp?x=1'],
    ['intranet:8080/mcp', 'https://intranet:8080/mcp'],
    ['10.0.0.5:3000/mcp', 'https://10.0.0.5:3000/mcp'],
  ])('%s: suggests %s', (input, fixed) => {
    expect(suggestEndpointUrl(input)).toBe(fixed);
  });

  it.each([
    'https://example.com/mcp',
    'http://localhost:4375/mcp',
    'javascript:alert(1)',
    'data:text/html,hi',
    'file:///etc/passwd',
    'vbscript:x',
    'mcp',
    '/mcp',
    '',
    'user:pw@example.com/mcp',
    'localhost:99999/mcp',
  ])('%s: no suggestion', (input) => {
    expect(suggestEndpointUrl(input)).toBeUndefined();
  });

  it('the rule says the scheme is missing and offers the fixed address, instead of naming a scheme', () => {
    expect(() => checkEndpointUrl('localhost:4375/mcp', 'The MCP server URL')).toThrow(
      'The MCP server URL has no scheme (https://, or http:// on loopback): did you mean http://localhost:4375/mcp?',
    );
    expect(() => checkEndpointUrl('example.com/mcp', 'The MCP server URL')).toThrow(
      'The MCP server URL has no scheme (https://, or http:// on loopback): did you mean https://example.com/mcp?',
    );
    expect(() => checkEndpointUrl('[::1]:3000/mcp', 'x')).toThrow(/did you mean http:\/\/\[::1\]:3000\/mcp\?/);
  });

  it('every suggestion passes the rule itself', () => {
    for (const input of ['localhost:4375/mcp', 'example.com/mcp', '127.0.0.1:3000/mcp', '[::1]:1/x', 'intranet:8080/mcp']) {
      expect(checkEndpointUrl(suggestEndpointUrl(input), 'x').href).toBeTruthy();
    }
  });
});

describe('exact endpoint match (MCP N2)', () => {
  it('matches origin and path only', () => {
    expect(isSameEndpoint('https://m.example/mcp', 'https://m.example/mcp')).toBe(true);
    expect(isSameEndpoint('https://m.example/mcp?x=1', 'https://m.example/mcp')).toBe(true);
    expect(isSameEndpoint('https://m.example/mcp/', 'https://m.example/mcp')).toBe(false);
    expect(isSameEndpoint('https://m.example/other', 'https://m.example/mcp')).toBe(false);
    expect(isSameEndpoint('https://m.example:444/mcp', 'https://m.example/mcp')).toBe(false);
    expect(isSameEndpoint('http://m.example/mcp', 'https://m.example/mcp')).toBe(false);
    expect(isSameEndpoint('https://m.example.evil/mcp', 'https://m.example/mcp')).toBe(false);
  });
  it('serverKey drops the fragment and lowercases scheme and host', () => {
    expect(serverKey('HTTPS://M.Example/MCP#x')).toBe('https://m.example/MCP');
  });
});

describe('protected resource metadata `resource` check (RFC 9728 §3.3, MCP D6/N4)', () => {
  it('accepts the exact endpoint', () => {
    expect(resourceCovers('https://m.example/mcp', 'https://m.example/mcp')).toBe(true);
  });
  it('accepts the origin or a parent path (root fallback)', () => {
    expect(resourceCovers('http://localhost:3000', 'http://localhost:3000/mcp')).toBe(true);
    expect(resourceCovers('https://m.example/api/', 'https://m.example/api/mcp')).toBe(true);
  });
  it('refuses another origin, a sibling path, or a partial segment', () => {
    expect(resourceCovers('https://evil.example.com/mcp', 'https://m.example/mcp')).toBe(false);
    expect(resourceCovers('https://m.example/other', 'https://m.example/mcp')).toBe(false);
    expect(resourceCovers('https://m.example/mc', 'https://m.example/mcp')).toBe(false);
    expect(resourceCovers('http://m.example/mcp', 'https://m.example/mcp')).toBe(false);
    expect(resourceCovers('https://m.example/mcp/deeper', 'https://m.example/mcp')).toBe(false);
    expect(resourceCovers('not a url', 'https://m.example/mcp')).toBe(false);
    expect(resourceCovers('https://m.example/mcp#f', 'https://m.example/mcp')).toBe(false);
  });
});
