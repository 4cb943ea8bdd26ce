/**
 * Custody over the 2026-07-28 features (issues 16 and 19): on the app pinned to 2026-07-28, a
 * multi round-trip exchange (SEP-2322: an elicitation answered in the card, a sampling request
 * answered by the person), a task (the Tasks extension: `long-task`, its question answered, run to
 * completion) and an MCP App (`sum-app` in the sandbox proxy on its own origin, and the app's own
 * `app-add` call once the person allows it), then a disconnect. No token, refresh token,
 * authorization code or PKCE verifier the authorization server issued or received reaches anything
 * page code can see (custody.spec.ts lists what that is), nor anything the sandbox proxy or the
 * app's frame can see: their DOM, their storage and every message they received.
 *
 * The controls of custody.spec.ts keep it from passing vacuously (the capture saw the MRTR
 * answers, the task, the app's traffic in both frames; the worker's own traffic holds the
 * secrets); the same capture, given a planted token, fails (shown once by hand: see the report).
 */
import type { FrameLocator, Locator } from '@playwright/test';
import { connectOn, expect, expectState, fillArguments, openTool, tab, test as base } from './support/keyhole.ts';
import { sandboxFixture } from './support/app.ts';
import { expectFindableSecrets, leaks, newCapture, seenAt, snapshot, watchPage, watchWorker } from './support/custody.ts';

const PROTOCOL = '2026-07-28';

const test = base.extend<{ sandbox: { url: string; origin: string } }>({
  sandbox: [sandboxFixture, { auto: true }],
});

/** Calls a tool from its form; returns its output (still running if the server asks something). */
async function call(c: Locator, name: string, args: unknown): Promise<Locator> {
  const item = await openTool(c, name);
  await fillArguments(item, name, args);
  await item.getByRole('button', { name: `Call ${name}`, exact: true }).click();
  return c.locator(`output[data-tool-result="${name}"]`);
}

/** The app's own document: Keyhole's frame holds the sandbox proxy, which holds the app. */
function appFrame(view: Locator): FrameLocator {
  return view.locator('iframe').contentFrame().locator('iframe').contentFrame();
}

for (const { kind, bearerOnly } of [
  { kind: 'Bearer', bearerOnly: true },
  { kind: 'DPoP', bearerOnly: false },
]) {
  test.describe(`${kind} tokens`, () => {
    test.use({ bearerOnly });

    test('on 2026-07-28, no token reaches page code, the Apps sandbox or the app over MRTR, a task and an app', async ({ page, context, env, sandbox }) => {
      const cap = newCapture();
      watchWorker(context, cap);
      // The sandbox proxy's document is read by its own code; the app's is a srcdoc (no response).
      await watchPage(page, cap, [env.appOrigin, sandbox.origin]);
      const url = env.stack.mcp.url;

      const c = await connectOn(page, env, PROTOCOL);
      await snapshot(page, cap, 'after connect');

      // Multi round-trip requests: an elicitation answered in the card…
      const trip = await call(c, 'plan-trip', { traveller: 'Ada' });
      const ask = c.locator('ask-view');
      await expect(ask).toContainText('Where should Ada go?');
      await ask.getByLabel('City', { exact: true }).fill('Lisbon');
      await snapshot(page, cap, 'elicitation asked');
      await ask.getByRole('button', { name: 'Send' }).click();
      await expect(trip).toHaveText('Trip for Ada: 2 nights in Lisbon');
      await snapshot(page, cap, 'after elicitation');
      // …and a sampling request answered by the person.
      const draft = await call(c, 'draft-reply', { message: 'Lunch on Friday?' });
      await expect(ask).toContainText('Draft a short reply to: Lunch on Friday?');
      await ask.getByLabel('Your answer').fill('custody-sampling-answer');
      await ask.getByRole('button', { name: 'Send answer' }).click();
      await expect(draft).toHaveText('Draft: custody-sampling-answer');
      await snapshot(page, cap, 'after MRTR');

      // A task: polled, its question answered (tasks/update), run to completion.
      const task = await call(c, 'long-task', { seconds: 2 });
      await expect(ask).toContainText('Continue?', { timeout: 30_000 });
      await ask.getByRole('textbox').first().fill('custody-task-note');
      await snapshot(page, cap, 'task asking');
      await ask.getByRole('button', { name: 'Send' }).click();
      await expect(task).toHaveAttribute('data-state', 'ok', { timeout: 30_000 });
      await expect(task).toContainText('Your note: custody-task-note');
      await tab(c, 'Tasks').click();
      const listed = c.locator('tasks-view li[data-task]').first();
      await expect(listed).toHaveAttribute('data-status', 'completed');
      const taskId = await listed.getAttribute('data-task');
      await snapshot(page, cap, 'after task');

      // An MCP App: the tool's input and result reach the app in the sandbox; the app calls
      // app-add once the person allows it (through Keyhole's client and the worker).
      const sum = await call(c, 'sum-app', { a: 20, b: 22 });
      await expect(sum).toHaveAttribute('data-state', 'ok');
      const view = c.locator('section[data-tool="sum-app"] mcp-app-view');
      const app = appFrame(view);
      await expect(app.locator('#result')).toHaveText('{"sum":42}');
      await app.getByLabel('a', { exact: true }).fill('4');
      await app.getByLabel('b', { exact: true }).fill('5');
      await app.getByRole('button', { name: 'Add in the app' }).click();
      await view.getByRole('button', { name: 'Allow app-add' }).click();
      await expect(app.locator('li[data-sum="9"]')).toBeVisible();
      expect(env.stack.mcp.toolCalls.map((t: { name: string }) => t.name)).toContain('app-add');
      await snapshot(page, cap, 'with the app');
      const frames = page.frames().filter((f) => f.parentFrame());
      const proxy = frames.find((f) => f.url().startsWith(sandbox.origin));
      const inner = frames.find((f) => f.parentFrame() === proxy && f.url() === 'about:srcdoc');
      expect(proxy, 'the sandbox proxy frame').toBeDefined();
      expect(inner, 'the app frame inside the proxy').toBeDefined();

      await c.getByRole('button', { name: 'Disconnect' }).click();
      await expectState(page, url, 'disconnected');
      await snapshot(page, cap, 'after disconnect');
      await Promise.all(cap.pending);

      const all = (prefix: string) => seenAt(cap, prefix);
      const someAt = (prefix: string, text: string) => all(prefix).some((s) => s.text.includes(text));

      // Control 1: the capture saw what page code, the proxy and the app legitimately get.
      expect(cap.unread, 'page-readable response bodies the capture missed').toEqual([]);
      // An error in any frame would also be the recorder failing to install there.
      expect(all('pageerror').map((s) => s.text)).toEqual([]);
      expect(all('page request').filter((s) => s.text.startsWith(`POST ${url}`)).length, 'MCP requests by the page').toBeGreaterThanOrEqual(8);
      // MRTR: the input_required results were read through the worker and recorded; the answers shown.
      expect(someAt('response via worker body', '"resultType":"input_required"'), 'input_required read through the worker').toBe(true);
      expect(someAt('wire log', '"resultType":"input_required"')).toBe(true);
      expect(someAt('page request', '"inputResponses"'), 'the retries the page sent').toBe(true);
      expect(someAt('DOM', 'Trip for Ada: 2 nights in Lisbon')).toBe(true);
      expect(someAt('DOM', 'Draft: custody-sampling-answer')).toBe(true);
      // The task: created, polled, updated, finished; remembered in the page's storage.
      expect(taskId).toBeTruthy();
      expect(someAt('page request', '"method":"tasks/get"'), 'tasks/get sent by the page').toBe(true);
      expect(someAt('page request', '"method":"tasks/update"'), 'tasks/update sent by the page').toBe(true);
      expect(someAt('response via worker body', taskId!), 'task answers read through the worker').toBe(true);
      expect(someAt('page state', taskId!), 'the task in the page’s storage').toBe(true);
      expect(someAt('DOM', 'Your note: custody-task-note')).toBe(true);
      // The app: both sandbox frames were captured (DOM and storage) and received the app's traffic.
      const inProxy = `message via window in frame ${proxy!.url()}`;
      const inApp = 'message via window in frame about:srcdoc';

      expect(someAt(inProxy, 'ui/notifications/tool-result'), 'the host’s messages reached the proxy').toBe(true);
      expect(someAt(inProxy, '"name":"app-add"'), 'the app’s tools/call passed the proxy').toBe(true);
      // What reaches the app frame passes the proxy first (captured above, from the proxy's first
      // script on). The app frame's own recorder can miss its very first messages (its document is
      // created by the proxy, and Playwright's binding reaches it a moment later), so the tool
      // result is shown there by the app's DOM, and the later app-add answer by its messages.
      expect(someAt(inProxy, '"sum":42'), 'the tool result passed the proxy').toBe(true);
      expect(someAt('frame DOM with the app about:srcdoc', '{"sum":42}'), 'the tool result reached the app frame (its DOM)').toBe(true);
      expect(someAt(inApp, '"sum":9'), 'the app-add result reached the app frame').toBe(true);
      expect(someAt('message via window in page', '"name":"app-add"'), 'the app’s call reached Keyhole’s page').toBe(true);
      expect(someAt('frame DOM with the app about:srcdoc', 'data-sum="9"'), 'the app’s DOM').toBe(true);
      expect(someAt(`frame DOM with the app ${proxy!.url()}`, 'Keyhole app sandbox'), 'the proxy’s DOM').toBe(true);
      expect(someAt('response headers', `200 ${sandbox.origin}/`), 'the proxy document as its code reads it').toBe(true);
      // What each sandbox frame's code can read of its storage: the proxy's origin has none of
      // Keyhole's (no database, no worker controls it), the app's opaque origin has no storage.
      const proxyState = JSON.parse(all(`frame state with the app ${proxy!.url()}`)[0]!.text) as Record<string, unknown>;
      expect(proxyState.origin).toBe(sandbox.origin);
      expect(proxyState.databases, 'IndexedDB on the sandbox origin').toEqual({});
      expect(proxyState.controlled, 'a service worker controlling the proxy').toBeNull();
      const appState = JSON.parse(all('frame state with the app about:srcdoc')[0]!.text) as Record<string, unknown>;
      expect(appState.origin).toBe('null');
      expect(appState.local).toBe('refused: SecurityError');

      // Control 2: the secrets are real and findable in the worker's own traffic, captured the same way.
      const secrets: string[] = env.stack.auth.secrets();
      const used = env.stack.mcp.authorizations.map((h: string) => h.replace(/^\S+\s+/, ''));
      expectFindableSecrets(cap, secrets, used, 3);

      // The claim.
      expect(all('committed URL').filter((s) => s.text.includes('callback.html'))).toEqual([]);
      for (const { secret, where } of leaks(cap, secrets)) {
        expect(where, `secret ${secret.slice(0, 4)}… issued or received by the AS showed up in page- or sandbox-visible places`).toEqual([]);
      }
    });
  });
}
