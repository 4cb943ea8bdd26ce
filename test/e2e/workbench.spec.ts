/**
 * The workbench beyond tools (issue 5, first part): resources and prompts listed, read and got
 * through the UI on both protocol revisions, server text shown as text; two servers connected at
 * once, each with its own authorization server, each sent only its own tokens.
 */
import { startDemoStack } from '../../demo/stack.mjs';
import { addByUrl, authorize, card, expect, test, fillArguments, openTool } from './support/keyhole.ts';

for (const protocol of ['2025-11-25', '2026-07-28'] as const) {
  test(`resources and prompts on ${protocol}`, async ({ page, env }) => {
    const url = env.stack.mcp.url;
    await page.goto(`${env.appUrl}?protocol=${protocol}`);
    await addByUrl(page, url);
    await authorize(page, env);
    const c = card(page, url);
    await expect(c.locator('dl.facts')).toContainText(protocol);

    await c.getByRole('tab', { name: /^Resources/ }).click();
    await c.getByRole('listbox', { name: 'Resources', exact: true }).locator('[role="option"][data-key="demo://readme"]').click();
    const resource = c.locator('[data-resource="demo://readme"]');
    await expect(resource).toContainText('Demo README');
    await resource.getByRole('button', { name: 'Read readme' }).click();
    const read = c.locator('[data-resource-result="demo://readme"]');
    await expect(read).toHaveAttribute('data-state', 'ok');
    await expect(read).toContainText('# Keyhole demo MCP server');

    await c.getByRole('tab', { name: /^Prompts/ }).click();
    await c.getByRole('listbox', { name: 'Prompts', exact: true }).locator('[role="option"][data-key="greet"]').click();
    const prompt = c.locator('[data-prompt="greet"]');
    await prompt.getByLabel('name', { exact: true }).fill('<b>Ada</b>');
    await prompt.getByRole('button', { name: 'Get prompt greet' }).click();
    const got = c.locator('[data-prompt-result="greet"]');
    await expect(got.locator('li[data-role="user"]')).toContainText('Please greet <b>Ada</b> warmly.');
    await expect(got.locator('b')).toHaveCount(0);
  });
}

test('two servers at once, each with its own authorization server: each receives only its own tokens', async ({ page, env }) => {
  const second = await startDemoStack({ appOrigins: [env.appOrigin], autoApprove: true });
  try {
    const stacks = [env.stack, second];
    await page.goto(env.appUrl);
    for (const stack of stacks) {
      await addByUrl(page, stack.mcp.url);
      await expect(card(page, stack.mcp.url)).toHaveAttribute('data-state', 'needs-authorization', { timeout: 20_000 });
    }
    for (const stack of stacks) {
      // Each server is shown by choosing it in the sidebar.
      await page.locator(`[data-overview="${stack.mcp.url}"] button`).click();
      await card(page, stack.mcp.url).getByRole('button', { name: 'Authorize' }).click();
      await expect(card(page, stack.mcp.url)).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
      await expect(card(page, stack.mcp.url).locator('dl.facts')).toContainText(stack.auth.issuer);
    }
    for (const [i, stack] of stacks.entries()) {
      await page.locator(`[data-overview="${stack.mcp.url}"] button`).click();
      const item = await openTool(card(page, stack.mcp.url), 'echo');
      await fillArguments(item, 'echo', { text: `to server ${i + 1}` });
      await item.getByRole('button', { name: 'Call echo', exact: true }).click();
      await expect(card(page, stack.mcp.url).locator('output[data-tool-result="echo"]')).toHaveText(`to server ${i + 1}`);
    }
    // Every token a server was sent is one its own authorization server issued, and none the other's.
    for (const [i, stack] of stacks.entries()) {
      const other = stacks[1 - i]!;
      const received = stack.mcp.authorizations.map((h: string) => h.replace(/^(Bearer|DPoP) /i, ''));
      expect(received.length, `server ${i + 1} received tokens`).toBeGreaterThan(0);
      expect(received.filter((t: string) => !stack.auth.secrets().includes(t)), `server ${i + 1}: tokens not from its own issuer`).toEqual([]);
      expect(received.filter((t: string) => other.auth.secrets().includes(t)), `server ${i + 1}: the other issuer's tokens`).toEqual([]);
    }
  } finally {
    await second.close();
  }
});

test('the server list is exported without secrets and imported with each URL checked', async ({ page, env }, testInfo) => {
  await page.goto(env.appUrl);
  await page.getByLabel('MCP server URL').fill(env.stack.mcp.url);
  await page.getByText('Client settings').click();
  await page.getByLabel('Client ID').fill('my-registered-client');
  await page.getByLabel('Client secret').fill('hunter2-secret');
  await page.getByLabel('Scopes (optional, space separated)').fill('mcp:basic');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(card(page, env.stack.mcp.url)).toBeVisible();
  // Added: the server is selected, and the field is empty for the next one.
  await expect(page.locator('[data-overview] button[aria-current="true"]')).toContainText(env.stack.mcp.url);
  await expect(page.getByLabel('MCP server URL')).toHaveValue('');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export list' }).click();
  const file = testInfo.outputPath('servers.json');
  await (await download).saveAs(file);
  const { readFile, writeFile } = await import('node:fs/promises');
  const exported = await readFile(file, 'utf8');
  expect(JSON.parse(exported)).toEqual({
    format: 'keyhole-servers',
    version: 1,
    servers: [{ serverUrl: env.stack.mcp.url, keepSignedIn: false, clientId: 'my-registered-client', scopes: 'mcp:basic' }],
  });
  expect(exported).not.toContain('hunter2');

  // A fresh browser imports the list plus two entries: one it takes, one whose URL breaks the rule.
  const list = JSON.parse(exported) as { servers: unknown[] };
  list.servers.push({ serverUrl: 'https://mcp.example.com/mcp', keepSignedIn: true }, { serverUrl: 'http://evil.example/mcp' });
  const edited = testInfo.outputPath('edited.json');
  await writeFile(edited, JSON.stringify(list));
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.getByLabel('Import list').setInputFiles(edited);
  const notice = page.locator('[data-list-notice]');
  await expect(notice).toContainText('Imported 2 servers');
  await expect(notice).toContainText('http://evil.example/mcp');
  await expect(page.locator('[data-overview]')).toHaveCount(2);
  // The first imported server is shown; the other is a click away in the sidebar.
  await expect(card(page, env.stack.mcp.url)).toBeVisible();
  await expect(card(page, 'https://mcp.example.com/mcp')).toBeHidden();
  await page.locator('[data-overview="https://mcp.example.com/mcp"] button').click();
  await expect(card(page, 'https://mcp.example.com/mcp')).toBeVisible();
  await expect(card(page, 'http://evil.example/mcp')).toHaveCount(0);
  // Imported servers wait for the person: nothing was sent to them.
  await expect(card(page, 'https://mcp.example.com/mcp')).toHaveAttribute('data-state', 'disconnected');

  await page.getByLabel('Import list').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"servers":[]}') });
  await expect(notice).toContainText('not a server list Keyhole knows');
});
