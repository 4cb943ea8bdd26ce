import { describe, expect, it } from 'vitest';
import { buildAppCsp, checkDomain, withPolicy } from '../../src/app/apps/app-csp.ts';

describe('the policy of an MCP App (SEP-1865 CSP enforcement)', () => {
  it('allows nothing from elsewhere when nothing is declared', () => {
    const { policy, rejected } = buildAppCsp(undefined);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("connect-src 'none'");
    expect(policy).toContain("frame-src 'none'");
    expect(policy).toContain("font-src 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toContain("'self'");
    expect(rejected).toEqual([]);
  });

  it('puts declared origins where the spec maps them', () => {
    const { policy } = buildAppCsp({
      connectDomains: ['https://api.example.com', 'wss://live.example.com'],
      resourceDomains: ['https://*.cdn.example.com'],
      frameDomains: ['https://www.youtube.com'],
      baseUriDomains: ['https://base.example.com'],
    });
    expect(policy).toContain('connect-src https://api.example.com wss://live.example.com');
    expect(policy).toContain("script-src 'unsafe-inline' https://*.cdn.example.com");
    expect(policy).toContain('img-src data: https://*.cdn.example.com');
    expect(policy).toContain('frame-src https://www.youtube.com');
    expect(policy).toContain('base-uri https://base.example.com');
  });

  it('refuses entries that are not origins, so none can add a directive', () => {
    for (const bad of ['*', "'unsafe-eval'", 'https://a.com; script-src *', 'http://example.com', 'https://a.com/path', 'data:', 'https://*', 42]) {
      expect(checkDomain(bad), String(bad)).toBeDefined();
    }
    const { policy, rejected } = buildAppCsp({ connectDomains: ['https://ok.example', "https://x.com; script-src 'unsafe-eval'"] });
    expect(policy).toContain('connect-src https://ok.example;');
    expect(policy).not.toContain('unsafe-eval');
    expect(rejected).toHaveLength(1);
  });

  it('takes loopback http for development', () => {
    expect(checkDomain('http://localhost:4175')).toBeUndefined();
    expect(checkDomain('http://127.0.0.1')).toBeUndefined();
  });

  it('writes the policy first in the document, keeping the doctype', () => {
    expect(withPolicy('<!DOCTYPE html><html><body>x</body></html>', "default-src 'none'")).toBe(
      `<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="default-src 'none'"><html><body>x</body></html>`,
    );
    expect(withPolicy('<p>x</p>', 'a "b"')).toBe('<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="a &quot;b&quot;"><p>x</p>');
  });
});
