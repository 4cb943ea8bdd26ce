/**
 * The workbench as a person uses it (issues 15 and 20): history that reopens and reruns calls,
 * settings edited after adding a server, lists imported from the ecosystem's formats, Remove
 * with Undo, input kept across the authorization redirect, the keyboard, and a question from
 * the server that names the call it belongs to.
 */
import type { Locator } from '@playwright/test';
import { startDemoStack } from '../../demo/stack.mjs';
import { expectAccessible } from './support/a11y.ts';
import { addByUrl, addServer, authorize, authorizationRequests, callTool, card, connect, expect, expectState, openTool, readIndexedDb, tab, test, type Env } from './support/keyhole.ts';

/** The runs of a tool the demo server accepted (a 2026-07-28 input-response retry is part of its run). */
function runs(env: Env, name: string): { name: string; arguments: unknown }[] {
  return (env.stack.mcp.toolCalls as { name: string; arguments: unknown; retry?: boolean }[]).filter((c) => c.name === name && !c.retry);
}

test('history: a call reopened shows the same result, copies as JSON, and runs again with the same arguments', async ({ page, env, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await connect(page, env);
  const c = card(page, env.stack.mcp.url);
  await expect(await callTool(page, env, 'echo', { text: 'remember me' })).toHaveText('remember me');
  await expect(await callTool(page, env, 'add', { a: 2, b: 3 })).toContainText('5');
  await tab(c, 'History').click();
  await expect(tab(c, 'History')).toContainText('(2)');
  const entries = c.locator('history-view li[data-history-entry]');
  await expect(entries).toHaveCount(2);
  // Newest first; the older one opened shows its result again.
  const echo = entries.nth(1);
  await expect(echo).toContainText('echo');
  await echo.locator('summary').click();
  await expect(echo.locator('mcp-content')).toHaveText('remember me');
  await echo.getByRole('button', { name: /^Copy as JSON/ }).click();
  const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText())) as { target: string; args: unknown };
  expect(copied.target).toBe('echo');
  expect(copied.args).toEqual({ text: 'remember me' });
  await expectAccessible(page, 'History tab with an entry open');

  expect(runs(env, 'echo')).toHaveLength(1);
  await echo.getByRole('button', { name: /^Run again/ }).click();
  // The Tools tab opens on echo with the arguments in its form, and the call runs.
  await expect(tab(c, 'Tools')).toHaveAttribute('aria-selected', 'true');
  await expect(c.locator('output[data-tool-result="echo"]')).toHaveAttribute('data-state', 'ok');
  await expect.poll(() => runs(env, 'echo').length).toBe(2);
  expect(runs(env, 'echo')[1]!.arguments).toEqual(runs(env, 'echo')[0]!.arguments);
  await expect(c.locator('section[data-tool="echo"]').getByLabel('text', { exact: true })).toHaveValue('remember me');

  // Kept across a reload (page storage), and clearable.
  await page.reload();
  await expectState(page, env.stack.mcp.url, 'connected');
  await tab(c, 'History').click();
  await expect(c.locator('history-view li[data-history-entry]')).toHaveCount(3);
  await c.getByRole('button', { name: 'Clear history' }).click();
  await expect(c.locator('history-view li[data-history-entry]')).toHaveCount(0);
});

test('history: a prompt got and a resource read are recorded too, and run again from there', async ({ page, env }) => {
  await connect(page, env);
  const c = card(page, env.stack.mcp.url);
  await tab(c, 'Prompts').click();
  await c.getByRole('listbox', { name: 'Prompts' }).locator('[role="option"][data-key="greet"]').click();
  await c.locator('section[data-prompt="greet"]').getByLabel('name', { exact: true }).fill('Ada');
  await c.getByRole('button', { name: 'Get prompt greet' }).click();
  await expect(c.locator('[data-prompt-result="greet"]')).toContainText('Please greet Ada warmly.');
  await tab(c, 'Resources').click();
  await c.getByRole('listbox', { name: 'Resources' }).locator('[role="option"][data-key="demo://readme"]').click();
  await c.getByRole('button', { name: 'Read readme' }).click();
  await expect(c.locator('[data-resource-result="demo://readme"]')).toHaveAttribute('data-state', 'ok');

  await tab(c, 'History').click();
  const entries = c.locator('history-view li[data-history-entry]');
  await expect(entries).toHaveCount(2);
  await expect(entries.nth(0)).toHaveAttribute('data-kind', 'resource');
  await expect(entries.nth(1)).toHaveAttribute('data-kind', 'prompt');
  const gets = () => (env.stack.mcp.requests as { mcpMethod?: string }[]).filter((r) => r.mcpMethod === 'prompts/get').length;
  const before = gets();
  await entries.nth(1).getByRole('button', { name: /^Run again/ }).click();
  await expect(tab(c, 'Prompts')).toHaveAttribute('aria-selected', 'true');
  await expect.poll(gets).toBe(before + 1);
  await expect(c.locator('section[data-prompt="greet"]').getByLabel('name', { exact: true })).toHaveValue('Ada');
  await tab(c, 'History').click();
  await expect(entries).toHaveCount(3);
});

test('settings edited after adding: a name, and other scopes that need (and get) a new authorization', async ({ page, env }) => {
  const url = env.stack.mcp.url;
  await connect(page, env);
  const c = card(page, url);
  await c.getByRole('button', { name: 'Settings' }).click();
  const form = c.getByRole('form', { name: `Settings of ${url}` });
  await expectAccessible(page, 'server settings');
  await form.getByLabel('Display name').fill('Demo server');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await expect(c.locator('h2')).toHaveText('Demo server');
  await expect(page.locator(`[data-overview="${url}"]`)).toContainText('Demo server');
  // A name alone keeps the connection.
  await expectState(page, url, 'connected');

  const before = authorizationRequests(env);
  await c.getByRole('button', { name: 'Settings' }).click();
  await form.getByLabel(/^Scopes/).fill('mcp:basic mcp:admin');
  await expect(form.locator('[data-reauthorize]')).toContainText('need a new authorization');
  await form.getByRole('button', { name: 'Save settings' }).click();
  // The tokens held serve until the person authorizes again, which the card offers at once.
  await expectState(page, url, 'connected');
  await expect(c.getByRole('status').filter({ hasText: 'Press Authorize to get the new scopes' })).toBeVisible();
  await expect(c.getByRole('button', { name: 'Settings' })).toBeFocused();
  await c.getByRole('button', { name: 'Authorize' }).click();
  // The card was connected all along: wait for the new authorization request, then for the return.
  await expect.poll(() => authorizationRequests(env)).toBe(before + 1);
  await expect(c.locator('dl.facts')).toContainText('mcp:admin');
  await expectState(page, url, 'connected');
  const asked = (env.stack.auth.requests as { method: string; path: string; scope?: string }[]).filter((r) => r.method === 'GET' && r.path === env.authorizePath);
  expect(asked.length).toBe(before + 1);
  expect(asked.at(-1)!.scope?.split(' ')).toEqual(expect.arrayContaining(['mcp:basic', 'mcp:admin']));
  await expect(c.locator('dl.facts')).toContainText('mcp:admin');
  // The admin tool now runs without a step-up.
  await expect(await callTool(page, env, 'admin-report')).toHaveAttribute('data-state', 'ok');
});

test('import: a registry server.json and an mcpServers file add their remote servers; stdio entries are named and left out', async ({ page, env }) => {
  await page.goto(env.appUrl);
  const serverJson = {
    name: 'io.example/weather',
    title: 'Weather',
    remotes: [
      { type: 'streamable-http', url: 'https://weather.example.com/mcp' },
      { type: 'sse', url: 'https://weather.example.com/sse' },
    ],
    packages: [{ registryType: 'npm', identifier: '@example/weather', transport: { type: 'stdio' } }],
  };
  const input = page.getByLabel('Import list');
  await input.setInputFiles({ name: 'server.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(serverJson)) });
  const notice = page.locator('[data-list-notice]');
  await expect(notice).toContainText('Imported 1 server');
  await expect(notice).toContainText('stdio');
  await expect(page.locator('[data-overview="https://weather.example.com/mcp"]')).toContainText('Weather');

  const desktop = {
    mcpServers: {
      demo: { url: env.stack.mcp.url },
      files: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'] },
    },
  };
  await input.setInputFiles({ name: 'claude_desktop_config.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(desktop)) });
  await expect(notice).toContainText('Imported 1 server');
  await expect(notice).toContainText('files');
  await expect(page.locator('[data-overview]')).toHaveCount(2);
  await expect(page.locator(`[data-overview="${env.stack.mcp.url}"]`)).toContainText('demo');
  // Nothing connects by itself.
  await expect(page.locator(`[data-overview="${env.stack.mcp.url}"] [data-overview-state]`)).toHaveText('Disconnected');
  await expect(card(page, 'https://weather.example.com/mcp')).toHaveAttribute('data-state', 'disconnected');

  // The chosen server is in the address, and a reload shows it again.
  await page.locator(`[data-overview="${env.stack.mcp.url}"] button`).click();
  await expect(card(page, env.stack.mcp.url)).toBeVisible();
  await expect(card(page, 'https://weather.example.com/mcp')).toBeHidden();
  expect(new URL(page.url()).searchParams.get('server')).toBe(env.stack.mcp.url);
  await page.reload();
  await expect(card(page, env.stack.mcp.url)).toBeVisible();
  await expect(page.locator(`[data-overview="${env.stack.mcp.url}"] button`)).toHaveAttribute('aria-current', 'true');
});

test('Remove takes the server away at once, Undo brings it back connected; without Undo the tokens are revoked', async ({ page, env }) => {
  const url = env.stack.mcp.url;
  await connect(page, env);
  await page.getByRole('button', { name: 'Remove' }).click();
  await expect(card(page, url)).toHaveCount(0);
  await expect(page.locator('[data-overview]')).toHaveCount(0);
  const undo = page.locator('[data-undo]');
  await expect(undo).toContainText(`Removed ${url}`);
  await expect(undo.getByRole('button', { name: 'Undo' })).toBeFocused();
  await undo.getByRole('button', { name: 'Undo' }).click();
  await expectState(page, url, 'connected');
  await expect(await callTool(page, env, 'echo', { text: 'still here' })).toHaveText('still here');

  await page.getByRole('button', { name: 'Remove' }).click();
  await expect(undo).toBeVisible();
  // Once Undo is gone the worker has revoked and forgotten the connection.
  await expect(undo).toHaveCount(0, { timeout: 15_000 });
  await expect.poll(async () => (await readIndexedDb(page)).connections?.length ?? 0, { timeout: 10_000 }).toBe(0);
  const revoked = (env.stack.auth.requests as { method: string; path: string }[]).filter((r) => r.method === 'POST' && /revoc/.test(r.path));
  expect(revoked.length).toBeGreaterThan(0);
});

test('two servers: removing the first leaves the second its own card, session and calls', async ({ page, env }) => {
  const second = await startDemoStack({ appOrigins: [env.appOrigin], autoApprove: true });
  try {
    await connect(page, env);
    await addByUrl(page, second.mcp.url);
    const other = card(page, second.mcp.url);
    await expectState(page, second.mcp.url, 'needs-authorization');
    await other.getByRole('button', { name: 'Authorize' }).click();
    await expectState(page, second.mcp.url, 'connected');
    await expect(page.locator('[data-overview] button[aria-current="true"]')).toContainText(second.mcp.url);

    await page.locator(`[data-overview="${env.stack.mcp.url}"] button`).click();
    await card(page, env.stack.mcp.url).getByRole('button', { name: 'Remove' }).click();
    await expect(card(page, env.stack.mcp.url)).toHaveCount(0);
    await expect(other).toBeVisible();
    await expect(other.locator('h2')).toHaveText(second.mcp.url);
    const firstCalls = (env.stack.mcp.toolCalls as unknown[]).length;
    const echo = await openTool(other, 'echo');
    await echo.getByLabel('text', { exact: true }).fill('to the second');
    await echo.getByRole('button', { name: 'Call echo', exact: true }).click();
    await expect(other.locator('output[data-tool-result="echo"]')).toHaveText('to the second');
    expect((second.mcp.toolCalls as { name: string }[]).map((t) => t.name)).toEqual(['echo']);
    expect((env.stack.mcp.toolCalls as unknown[]).length, 'nothing went to the removed server').toBe(firstCalls);

    // Added again before Undo runs out: the removal is called off, nothing is revoked.
    await addByUrl(page, env.stack.mcp.url);
    await expect(page.locator('[data-undo]')).toHaveCount(0);
    await expectState(page, env.stack.mcp.url, 'connected');
  } finally {
    await second.close();
  }
});

test('buttons say when they cannot be used: Export with no servers, Call while its call runs', async ({ page, env }) => {
  await page.goto(env.appUrl);
  const exportButton = page.getByRole('button', { name: 'Export list' });
  await expect(exportButton).toBeDisabled();
  const look = (l: Locator) => l.evaluate((el) => ({ opacity: Number(getComputedStyle(el).opacity), font: getComputedStyle(el).fontSize, height: el.getBoundingClientRect().height }));
  const disabled = await look(exportButton);
  expect(disabled.opacity, 'a disabled button looks disabled').toBeLessThan(0.7);
  const importLabel = await look(page.locator('label.file'));
  expect(importLabel.font).toBe(disabled.font);
  expect(Math.abs(importLabel.height - disabled.height), 'Import and Export are the same size').toBeLessThan(2);

  await addServer(page, env);
  await authorize(page, env);
  const c = card(page, env.stack.mcp.url);
  const slow = await openTool(c, 'slow-count');
  await slow.getByRole('button', { name: 'JSON', exact: true }).click();
  await slow.getByLabel('Arguments for slow-count (JSON)', { exact: true }).fill('{"steps": 20, "delayMs": 100}');
  const callButton = slow.getByRole('button', { name: 'Call slow-count', exact: true });
  await callButton.click();
  await expect(callButton).toBeDisabled();
  await slow.getByRole('button', { name: 'Cancel slow-count' }).click();
  await expect(callButton).toBeEnabled();
});

test('the keyboard: Enter in a field calls the tool, Ctrl+Enter anywhere in the form, n and ? in the page', async ({ page, env }) => {
  await connect(page, env);
  const c = card(page, env.stack.mcp.url);
  const echo = await openTool(c, 'echo');
  await echo.getByLabel('text', { exact: true }).fill('by Enter');
  await echo.getByLabel('text', { exact: true }).press('Enter');
  await expect(c.locator('output[data-tool-result="echo"]')).toHaveText('by Enter');
  await echo.getByLabel('text', { exact: true }).fill('by Ctrl+Enter');
  await echo.getByLabel('text', { exact: true }).press('Control+Enter');
  await expect(c.locator('output[data-tool-result="echo"]')).toHaveText('by Ctrl+Enter');

  await c.locator('h2').focus();
  await page.keyboard.press('n');
  await expect(page.getByLabel('MCP server URL')).toBeFocused();
  await c.locator('h2').focus();
  await page.keyboard.press('?');
  const help = page.locator('#shortcuts');
  await expect(help).toBeVisible();
  await expect(help).toContainText('Filter the open list');
  await expectAccessible(page, 'keyboard shortcuts');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
});

test('input typed before a step-up comes back after the authorization redirect', async ({ page, env }) => {
  await connect(page, env);
  const c = card(page, env.stack.mcp.url);
  const echo = await openTool(c, 'echo');
  await echo.getByLabel('text', { exact: true }).fill('typed before leaving');
  // admin-report needs a scope the first authorization did not get: a step-up, through the AS.
  await (await openTool(c, 'admin-report')).getByRole('button', { name: 'Call admin-report', exact: true }).click();
  await expectState(page, env.stack.mcp.url, 'needs-authorization');
  await c.getByRole('button', { name: 'Authorize' }).click();
  await expectState(page, env.stack.mcp.url, 'connected');
  await expect(c.locator('output[data-tool-result="admin-report"]')).toHaveAttribute('data-state', 'ok');
  await expect((await openTool(c, 'echo')).getByLabel('text', { exact: true })).toHaveValue('typed before leaving');
});

test('a question from the server names the call that asked, and the answer brings its result into view', async ({ page, env }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await connect(page, env);
  const c = card(page, env.stack.mcp.url);
  await (await openTool(c, 'ask-name')).getByRole('button', { name: 'Call ask-name', exact: true }).click();
  const ask = c.locator('ask-view');
  await expect(ask.locator('[data-ask-origin]')).toContainText('ask-name');
  // The person wanders off to another tool meanwhile.
  await openTool(c, 'echo');
  await ask.getByLabel('Name', { exact: true }).fill('Grace');
  await ask.getByRole('button', { name: 'Send' }).click();
  const out = c.locator('output[data-tool-result="ask-name"]');
  await expect(out).toContainText('Accepted');
  await expect(out).toBeInViewport();
});

test('server and tool icons: small data: images drawn, SVG never', async ({ page, env }) => {
  await connect(page, env);
  const c = card(page, env.stack.mcp.url);
  await expect(c.locator('header img.icon')).toHaveAttribute('src', /^data:image\/png;base64,/);
  await expect(page.locator(`[data-overview="${env.stack.mcp.url}"] img`)).toHaveAttribute('src', /^data:image\/png;base64,/);
  const list = c.getByRole('listbox', { name: 'Tools' });
  await expect(list.locator('[data-key="echo"] img')).toHaveAttribute('src', /^data:image\/png;base64,/);
  // order-form's icon is SVG: not drawn at all.
  await expect(list.locator('[data-key="order-form"] img')).toHaveCount(0);
  expect(await page.evaluate(() => document.querySelectorAll('img[src^="data:image/svg"]').length)).toBe(0);
});
