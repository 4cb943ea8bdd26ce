/**
 * The base of every end-to-end test: it collects each Content Security Policy and Trusted Types
 * violation any page of the test reports, and fails the test if there was one (issue 7: zero
 * violations across the whole suite).
 */
import { test as base, expect } from '@playwright/test';

declare global {
  interface Window {
    __keyholeReportViolation?: (text: string) => void;
  }
}

export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: [
    async ({ context }, use) => {
      const violations: string[] = [];
      // A binding survives navigations and is outside the page's CSP; the listener is added
      // before any script of the page runs.
      await context.exposeBinding('__keyholeReportViolation', (_source, text: string) => {
        violations.push(text);
      });
      await context.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          window.__keyholeReportViolation?.(
            `${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber} on ${location.href}: ${e.sample}`,
          );
        });
      });
      await use(violations);
      expect(violations, 'Content Security Policy or Trusted Types violations').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** The built app the tests serve: `dist/`, or another build named by KEYHOLE_DIST (a second working copy's build). */
export const DIST = process.env.KEYHOLE_DIST ?? 'dist';
