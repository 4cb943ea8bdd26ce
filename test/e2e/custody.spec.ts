/**
 * Custody: during a full run (connect, authorize, tools, step-up, reload, a second tab,
 * disconnect) no token, refresh token, authorization code or PKCE verifier that the authorization
 * server issued or received ever reaches anything page code can see: committed URLs, history,
 * the DOM (shadow roots included), page storage, cookies, messages from the worker, the requests
 * the page made and the responses it could read, and the console.
 *
 * Two controls keep the test from passing vacuously: the capture must have seen what the page
 * legitimately gets (tool results, worker messages, MCP answers through the worker), and the same
 * kind of capture applied to the worker's own traffic must find every one of the secrets.
 * The capture itself is in support/custody.ts, shared with custody-features.spec.ts (2026-07-28
 * features: MRTR, tasks, MCP Apps and their sandbox frames).
 */
import type { Page } from '@playwright/test';
import { card, connect, callTool, expect, expectState, test, openTool } from './support/keyhole.ts';
import { expectFindableSecrets, leaks, newCapture, seenAt, snapshot as snapshotOf, watchPage, watchWorker } from './support/custody.ts';

for (const { kind, bearerOnly } of [
  { kind: 'Bearer', bearerOnly: true },
  { kind: 'DPoP', bearerOnly: false },
]) {
  test.describe(`${kind} tokens`, () => {
    test.use({ bearerOnly });

    test('no token, refresh token, code or verifier ever reaches page code', async ({ page, context, env }) => {
      const cap = newCapture();
      watchWorker(context, cap);
      await watchPage(page, cap, env.appOrigin);
      const snapshot = (p: Page, label: string) => snapshotOf(p, cap, label);

      const url = env.stack.mcp.url;
      const c = card(page, url);
      await connect(page, env, { keepSignedIn: true });
      await snapshot(page, 'after connect');
      await expect(await callTool(page, env, 'echo', { text: 'custody-canary' })).toHaveText('custody-canary');
      await expect(await callTool(page, env, 'slow-count', { steps: 2, delayMs: 50 })).toHaveText('Counted to 2');
      await snapshot(page, 'after calls');

      // Step-up: a second authorization and a second set of tokens.
      await (await openTool(c, 'admin-report')).getByRole('button', { name: 'Call admin-report', exact: true }).click();
      await expectState(page, url, 'needs-authorization');
      await snapshot(page, 'waiting for step-up');
      await c.getByRole('button', { name: 'Authorize' }).click();
      await expectState(page, url, 'connected');
      await expect(c.locator('output[data-tool-result="admin-report"]')).toHaveAttribute('data-state', 'ok');
      await snapshot(page, 'after step-up');

      await page.reload();
      await expectState(page, url, 'connected');
      await expect(await callTool(page, env, 'add', { a: 20, b: 22 })).toContainText('42');
      await snapshot(page, 'after reload');

      const tab = await context.newPage();
      await watchPage(tab, cap, env.appOrigin);
      await tab.goto(env.appUrl);
      await expectState(tab, url, 'connected');
      await expect(await callTool(tab, env, 'echo', { text: 'second-tab-canary' })).toHaveText('second-tab-canary');
      await snapshot(tab, 'second tab');
      await tab.close();

      await c.getByRole('button', { name: 'Disconnect' }).click();
      await expectState(page, url, 'disconnected');
      await snapshot(page, 'after disconnect');
      await Promise.all(cap.pending);

      const secrets: string[] = env.stack.auth.secrets();
      const used = env.stack.mcp.authorizations.map((h: string) => h.replace(/^\S+\s+/, ''));
      const all = (prefix: string) => seenAt(cap, prefix);

      // Control 1: the capture saw what the page legitimately gets, and every body it could read.
      expect(cap.unread, 'page-readable response bodies the capture missed').toEqual([]);
      // Open event streams are covered by the protocol record: it holds what they delivered.
      if (cap.openStreams.length) {
        expect(all('wire log').some((s) => s.text.includes('notifications/subscriptions/acknowledged')), 'stream messages in the wire log').toBe(true);
      }
      expect(all('wire log').some((s) => s.text.includes('custody-canary')), 'tool calls in the wire log').toBe(true);
      expect(all('DOM').some((s) => s.text.includes('custody-canary'))).toBe(true);
      expect(all('DOM').some((s) => s.text.includes('second-tab-canary'))).toBe(true);
      const fromWorker = all('response via worker body');
      expect(fromWorker.filter((s) => s.text.includes('custody-canary')).length, 'MCP answers read through the worker').toBeGreaterThan(0);
      expect(fromWorker.filter((s) => s.text.includes('Counted to 2')).length).toBeGreaterThan(0);
      expect(all('page request').filter((s) => s.text.startsWith(`POST ${url}`)).length, 'MCP requests by the page').toBeGreaterThanOrEqual(8);
      const broadcasts = all('message via serviceWorker').filter((s) => s.text.includes('"type":"keyhole:views"'));
      const replies = all('message via port').filter((s) => s.text.startsWith('{"ok":'));
      expect(broadcasts.length, 'view broadcasts from the worker').toBeGreaterThanOrEqual(5);
      expect(replies.length, 'command replies from the worker (MessageChannel)').toBeGreaterThanOrEqual(5);
      const committed = all('committed URL').map((s) => s.text);
      // Start, two returns from the authorization server, the reload, the second tab.
      expect(committed.filter((u) => u.startsWith(env.appUrl)).length, 'app documents committed').toBeGreaterThanOrEqual(5);
      expect(all('history').at(-1)!.text.split('\n').length, 'session history entries').toBeGreaterThanOrEqual(3);

      // Control 2: the secrets are real and findable (two authorizations give at least two codes,
      // two verifiers and two access tokens).
      expectFindableSecrets(cap, secrets, used, 6);

      // The claim: the redirect URI, which carries the code, never became a document (the worker
      // answered it with a 303), and none of the secrets reached page code.
      expect(committed.filter((u) => u.includes('callback.html'))).toEqual([]);

      for (const { secret, where } of leaks(cap, secrets)) {
        expect(where, `secret ${secret.slice(0, 4)}… issued or received by the AS showed up in page-visible places`).toEqual([]);
      }
    });
  });
}
