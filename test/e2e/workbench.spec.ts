/**
 * The workbench beyond tools (issue 5, first part): resources and prompts listed, read and got
 * through the UI on both protocol revisions, server text shown as text.
 */
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
