import { describe, expect, it } from 'vitest';
import { endpointKey, isSameEndpoint } from '../../src/sw/rules/urls.ts';

/** The rule itself, written out: the same origin and the same path (MCP N2, U4). */
const sameOriginAndPath = (a: string, b: string) => new URL(a).origin === new URL(b).origin && new URL(a).pathname === new URL(b).pathname;

// endpointKey memoizes what isSameEndpoint compares: equal keys exactly when origin and path are equal.
const urls = [
  'https://mcp.example/mcp',
  'https://mcp.example/mcp?x=1',
  'https://mcp.example/mcp#f',
  'https://mcp.example/mcp/',
  'https://mcp.example:443/mcp',
  'https://MCP.example/mcp',
  'https://mcp.example:8443/mcp',
  'http://mcp.example/mcp',
  'https://mcp.example/MCP',
  'https://mcp.example/m%63p',
  'https://mcp.example/a b',
  'https://mcp.example.evil/mcp',
  'https://user:pw@mcp.example/mcp',
  'data:text/plain,https://mcp.example/mcp',
  'blob:https://mcp.example/mcp',
];

describe('endpointKey', () => {
  it('says two URLs are the same endpoint exactly when origin and path are equal, on every pair', () => {
    for (const a of urls) {
      for (const b of urls) {
        expect(endpointKey(a) === endpointKey(b), `${a} | ${b}`).toBe(sameOriginAndPath(a, b));
        expect(isSameEndpoint(a, b), `${a} | ${b}`).toBe(sameOriginAndPath(a, b));
      }
    }
  });
  it('throws for a string that is not a URL, every time', () => {
    expect(() => endpointKey('not a url')).toThrow(TypeError);
    expect(() => endpointKey('not a url')).toThrow(TypeError);
  });
  it('stays right past its memo size', () => {
    for (let i = 0; i < 2000; i++) expect(endpointKey(`https://h${i % 700}.example/p?${i}`)).toBe(`https://h${i % 700}.example /p`);
  });
});
