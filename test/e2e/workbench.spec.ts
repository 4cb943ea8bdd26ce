/**
 * The workbench beyond tools (issue 5, first part): resources and prompts listed, read and got
 * through the UI on both protocol revisions, server text shown as text; two servers connected at
 * once, each with its own authorization server, each sent only its own tokens.
 */
import { startDemoStack } from '../../demo/stack.mjs';
import { authorize, card, expect, test } from './support/keyhole.ts';

for (const protocol of ['2025-11-25', '2026-07-28'] as const) {
  test(`resources and prompts on ${protocol}`, async ({ page, env }) => {
    const url = env.stack.mcp.url;
    await page.goto(`${env.appUrl}?protocol=${protocol}`);
    await page.getByLabel('MCP server URL').fill(url);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await authorize(page, env);
    const c = card(page, url);
    await expect(c.locator('dl.facts')).toContainText(protocol);

    const resource = c.locator('li[data-resource="demo://readme"]');
    await expect(resource).toContainText('Demo README');
    await resource.getByRole('button', { name: 'Read readme' }).click();
    const read = c.locator('output[data-resource-result="demo://readme"]');
    await expect(read).toHaveAttribute('data-state', 'ok');
    await expect(read).toContainText('# Keyhole demo MCP server');

    const prompt = c.locator('li[data-prompt="greet"]');
    await prompt.getByLabel('name (required)').fill('<b>Ada</b>');
    await prompt.getByRole('button', { name: 'Get prompt greet' }).click();
    const got = c.locator('output[data-prompt-result="greet"]');
    await expect(got).toHaveText('user: Please greet <b>Ada</b> warmly.');
    await expect(got.locator('b')).toHaveCount(0);
  });
}

test('two servers at once, each with its own authorization server: each receives only its own tokens', async ({ page, env }) => {
  const second = await startDemoStack({ appOrigins: [env.appOrigin], autoApprove: true });
  try {
    const stacks = [env.stack, second];
    await page.goto(env.appUrl);
    for (const stack of stacks) {
      await page.getByLabel('MCP server URL').fill(stack.mcp.url);
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await expect(card(page, stack.mcp.url)).toHaveAttribute('data-state', 'needs-authorization', { timeout: 20_000 });
    }
    for (const stack of stacks) {
      await card(page, stack.mcp.url).getByRole('button', { name: 'Authorize' }).click();
      await expect(card(page, stack.mcp.url)).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
      await expect(card(page, stack.mcp.url).locator('dl.facts')).toContainText(stack.auth.issuer);
    }
    for (const [i, stack] of stacks.entries()) {
      const item = card(page, stack.mcp.url).locator('li[data-tool="echo"]');
      await item.getByLabel('Arguments for echo').fill(JSON.stringify({ text: `to server ${i + 1}` }));
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
