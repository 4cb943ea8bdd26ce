/**
 * MCP Apps (issue 19, SEP-1865): the demo server's app runs in the sandbox proxy on its own
 * origin, gets the tool's input and result, calls a tool through Keyhole after the person
 * allows it (the worker adds the token; the app never has it) and resizes; the misbehaving app's
 * every attempt fails and is logged, and nothing of Keyhole's is in reach of the sandbox.
 */
import type { FrameLocator, Locator, Page } from '@playwright/test';
import { card, connectOn, expect, fillArguments, openTool, test as base, type Env } from './support/keyhole.ts';
import { sandboxFixture } from './support/app.ts';
import { expectAccessible } from './support/a11y.ts';

const test = base.extend<{ sandbox: { url: string; origin: string } }>({
  sandbox: [sandboxFixture, { auto: true }],
});

async function callWithApp(page: Page, env: Env, name: string, args: unknown): Promise<{ view: Locator; app: FrameLocator }> {
  const c = card(page, env.stack.mcp.url);
  const item = await openTool(c, name);
  await fillArguments(item, name, args);
  await item.getByRole('button', { name: `Call ${name}`, exact: true }).click();
  const view = c.locator(`section[data-tool="${name}"] mcp-app-view`);
  await expect(view.locator('iframe')).toBeVisible();
  return { view, app: view.locator('iframe').contentFrame().locator('iframe').contentFrame() };
}

/** Every token the MCP server received (it records each Authorization header). */
function tokens(env: Env): string[] {
  return env.stack.mcp.authorizations.map((a: string) => a.split(' ')[1] ?? a).filter((t: string) => t.length > 8);
}

for (const protocol of ['2025-11-25', '2026-07-28']) {
  test(`the demo app runs on the sandbox origin, gets the call, calls a tool once allowed, resizes (${protocol})`, async ({ page, env, sandbox }) => {
    const c = await connectOn(page, env, protocol);
    // The app-only tool is marked, and its form cannot call it.
    const only = await openTool(c, 'app-add');
    await expect(only.locator('[data-app-only]')).toBeVisible();
    await expect(only.getByRole('button', { name: 'Call app-add', exact: true })).toBeDisabled();

    const { view, app } = await callWithApp(page, env, 'sum-app', { a: 20, b: 22 });
    // The proxy is on the sandbox origin, never Keyhole's.
    await expect(view.locator('iframe')).toHaveAttribute('src', new RegExp(`^${sandbox.origin}/`));
    await expect.poll(() => page.frames().some((f) => f.url().startsWith(sandbox.origin)), 'a frame of the sandbox origin').toBe(true);
    const proxy = page.frames().find((f) => f.url().startsWith(sandbox.origin));
    expect(new URL(proxy!.url()).origin).not.toBe(env.appOrigin);

    await expect(app.locator('#input')).toHaveText('{"a":20,"b":22}');
    await expect(app.locator('#result')).toHaveText('{"sum":42}');

    const frame = view.locator('iframe');
    const before = (await frame.boundingBox())!.height;
    const callsBefore = env.stack.mcp.toolCalls.length;
    await app.getByLabel('a', { exact: true }).fill('4');
    await app.getByLabel('b', { exact: true }).fill('5');
    await app.getByRole('button', { name: 'Add in the app' }).click();
    // The person is asked first; nothing reached the server yet.
    const allow = view.getByRole('button', { name: 'Allow app-add' });
    await expect(allow).toBeVisible();
    await expectAccessible(page, `the app asks to call a tool (${protocol})`);
    expect(env.stack.mcp.toolCalls.slice(callsBefore).map((t: { name: string }) => t.name)).not.toContain('app-add');
    await allow.click();
    await expect(app.locator('li[data-sum="9"]')).toBeVisible();
    const call = env.stack.mcp.toolCalls.slice(callsBefore).find((t: { name: string }) => t.name === 'app-add');
    expect(call?.arguments).toEqual({ a: 4, b: 5 });
    // It went through the worker with the token, like any call of the person's.
    const credentialed = env.stack.mcp.requests.filter((r: { mcpMethod?: string; credentialed?: boolean }) => r.mcpMethod === 'tools/call');
    expect(credentialed.length).toBeGreaterThan(0);
    expect(credentialed.every((r: { credentialed?: boolean }) => r.credentialed)).toBe(true);

    // Remembered for the session: the second call asks nothing.
    for (const [a, b] of [[10, 20], [30, 40], [1, 1]]) {
      await app.getByLabel('a', { exact: true }).fill(String(a));
      await app.getByLabel('b', { exact: true }).fill(String(b));
      await app.getByRole('button', { name: 'Add in the app' }).click();
      await expect(app.locator(`li[data-sum="${a! + b!}"]`)).toBeVisible();
    }
    await expect(allow).toHaveCount(0);
    // The app grew and said so (ui/notifications/size-changed); the frame followed.
    await expect.poll(async () => (await frame.boundingBox())!.height).toBeGreaterThan(before + 40);

    // Nothing the app or the proxy can read holds a token.
    const secrets = tokens(env);
    expect(secrets.length).toBeGreaterThan(0);
    const texts = [await proxy!.content(), await app.locator('html').evaluate((e) => e.outerHTML)];
    for (const t of secrets) for (const text of texts) expect(text).not.toContain(t);

    // The app's messages are in the protocol view.
    await view.getByRole('button', { name: 'Full width' }).click();
    await expect(view).toHaveAttribute('full', '');
    await page.keyboard.press('Escape');
    await expect(view).not.toHaveAttribute('full', '');
    await c.getByRole('tab', { name: /^Protocol/ }).click();
    await expect(c.locator('wire-view')).toContainText('ui/initialize');
    await expect(c.locator('wire-view')).toContainText('ui/notifications/size-changed');

    // The app's calls are in History, but Run again does not call an app-only tool from the workbench.
    const appCalls = () => env.stack.mcp.toolCalls.filter((t: { name: string }) => t.name === 'app-add').length;
    const made = appCalls();
    await c.getByRole('tab', { name: /^History/ }).click();
    await c.locator('history-view li[data-history-entry]').filter({ hasText: 'app-add' }).first().getByRole('button', { name: /^Run again/ }).click();
    await expect(c.getByRole('tab', { name: /^Tools/ })).toHaveAttribute('aria-selected', 'true');
    await expect(c.locator('section[data-tool="app-add"] [data-app-only]')).toBeVisible();
    await page.waitForTimeout(500);
    expect(appCalls(), 'app-add called from the workbench').toBe(made);
  });
}

test('a ui:// resource opens its app alone, and axe finds nothing serious on the Apps view', async ({ page, env }) => {
  const c = await connectOn(page, env, '2026-07-28');
  await c.getByRole('tab', { name: /^Resources/ }).click();
  await c.getByRole('listbox', { name: 'Resources', exact: true }).locator('[role="option"][data-key="ui://keyhole-demo/sum"]').click();
  await c.getByRole('button', { name: 'Open app sum-app' }).click();
  const view = c.locator('resources-panel mcp-app-view');
  const app = view.locator('iframe').contentFrame().locator('iframe').contentFrame();
  await expect(app.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(app.locator('#input')).toHaveText('(waiting)');
  await expectAccessible(page, 'an app opened from Resources');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectAccessible(page, 'an app opened from Resources (dark)');
});

test('the misbehaving app: every attempt fails, is logged, and leaves the page and the server untouched', async ({ page, env, cspViolations }) => {
  process.env.KEYHOLE_DEMO_MISBEHAVING_APP = '1';
  try {
    await connectOn(page, env, '2026-07-28');
    const url = page.url();
    const { view, app } = await callWithApp(page, env, 'misbehaving-app', { target: env.stack.mcp.url });
    await expect(app.locator('body')).toHaveAttribute('data-done', 'true', { timeout: 30_000 });
    for (const name of ['read-parent', 'read-top', 'read-storage', 'navigate-top', 'open-popup', 'fetch-server']) {
      await expect(app.locator(`li[data-attempt="${name}"]`), name).toContainText('failed');
    }
    await expect(app.locator('li[data-attempt="model-only-tool"]')).toContainText('failed');
    // The proxy never loaded the forged document.
    await expect(app.locator('#swapped')).toHaveCount(0);
    const log = view.locator('[data-app-log]');
    await expect(log).toContainText('Ignored a message (tools/call) from null that did not come through the app’s sandbox.');
    await expect(log).toContainText('The app asked to call sum-app, which the server did not make callable from apps; refused.');
    await expect(log).toContainText('attempt fetch-server: failed');
    // The person's page is where it was, alone, and whole.
    expect(page.url()).toBe(url);
    expect(page.context().pages()).toHaveLength(1);
    await expect(card(page, env.stack.mcp.url)).toHaveAttribute('data-state', 'connected');
    // The server got no call from the app: not the direct fetch, not the forged message.
    const texts = env.stack.mcp.toolCalls.map((t: { arguments?: { text?: string } }) => t.arguments?.text);
    expect(texts).not.toContain('from the app');
    expect(texts).not.toContain('forged');
    expect(env.stack.mcp.requests.filter((r: { credentialed?: boolean; mcpMethod?: string }) => r.credentialed === false && r.mcpMethod === 'tools/call')).toEqual([]);
    // The app's own policy blocked its fetch, as the app itself saw (the suite's recorder may miss
    // the first reports of a new srcdoc frame: support/custody.ts). Expected, and only inside the
    // app's document: those reports are not the suite's zero-violation rule's business.
    await expect(app.locator('body')).toHaveAttribute('data-csp-blocked', /\bconnect-src\b/);
    const inApp = cspViolations.filter((v) => v.includes('on about:srcdoc'));
    cspViolations.splice(0, cspViolations.length, ...cspViolations.filter((v) => !inApp.includes(v)));
  } finally {
    delete process.env.KEYHOLE_DEMO_MISBEHAVING_APP;
  }
});

test('screenshots of the app in the card at 1280 and 390 px', async ({ page, env }, info) => {
  await connectOn(page, env, '2026-07-28');
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const { view, app } = await callWithApp(page, env, 'sum-app', { a: 20, b: 22 });
    await expect(app.locator('#result')).toHaveText('{"sum":42}');
    await view.scrollIntoViewIfNeeded();
    // The app's frame is another origin, painted by its own process: its text is there before its
    // pixels reach the page's screenshot.
    await page.waitForTimeout(1500);
    await page.screenshot({ path: info.outputPath(`app-${width}.png`) });
  }
});
