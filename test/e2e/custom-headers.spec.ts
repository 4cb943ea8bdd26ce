/**
 * Custom headers from tool parameters (MCP 2026-07-28, SEP-2243) through the UI and the worker:
 * arguments of parameters annotated `x-mcp-header` reach the demo server as `Mcp-Param-*`
 * headers (the Base64 form for non-ASCII text, none for an absent value), and a tool whose
 * annotation is invalid is not listed while the Tools tab says which and why.
 */
import { expectAccessible } from './support/a11y.ts';
import { callTool, card, connectOn, expect, test, toolOption } from './support/keyhole.ts';
import { INVALID_HEADER_TOOL_ENV } from '../../demo/mcp/mrtr-tools.mjs';

test('the annotated arguments reach the server as Mcp-Param-* headers, through the worker', async ({ page, env }) => {
  await connectOn(page, env, '2026-07-28');
  const out = await callTool(page, env, 'route-request', { region: 'eu-west', priority: 3, label: 'Grüße, 世界', body: 'not a header' });
  await expect(out).toHaveAttribute('data-state', 'ok');
  await expect(out).toHaveText('Routed to eu-west at priority 3 (Grüße, 世界)');
  const received = env.stack.mcp.toolCalls.at(-1)!;
  expect(received.name).toBe('route-request');
  expect(received.paramHeaders).toEqual({
    'mcp-param-region': 'eu-west',
    'mcp-param-priority': '3',
    'mcp-param-label': `=?base64?${Buffer.from('Grüße, 世界').toString('base64')}?=`,
  });
  // It went with the credentials the worker adds (the page has none).
  const last = env.stack.mcp.requests.filter((r) => r.mcpMethod === 'tools/call').at(-1)!;
  expect(last.credentialed).toBe(true);

  // An absent (or null) value gets no header.
  await callTool(page, env, 'route-request', { region: 'us-east', label: null });
  expect(env.stack.mcp.toolCalls.at(-1)!.paramHeaders).toEqual({ 'mcp-param-region': 'us-east' });
});

test('a tool with an invalid x-mcp-header is left out, and the Tools tab says why', async ({ page, env }) => {
  process.env[INVALID_HEADER_TOOL_ENV] = '1';
  try {
    const c = await connectOn(page, env, '2026-07-28');
    await expect(toolOption(c, 'route-request')).toBeVisible();
    await expect(toolOption(c, 'broken-header')).toHaveCount(0);
    const note = c.locator('[data-excluded-tools]');
    await expect(note).toContainText('One tool the server listed is left out');
    await expect(note.locator('[data-excluded-tool="broken-header"]')).toContainText('broken-header');
    await expect(note.locator('[data-excluded-tool="broken-header"]')).toContainText('of type number');
    await expectAccessible(page, 'the note on a left-out tool');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectAccessible(page, 'the note on a left-out tool, dark theme');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(env.stack.mcp.toolCalls.some((t) => t.name === 'broken-header')).toBe(false);
  } finally {
    delete process.env[INVALID_HEADER_TOOL_ENV];
  }
  // Without the switch, there is no note.
  await page.reload();
  await expect(toolOption(card(page, env.stack.mcp.url), 'route-request')).toBeVisible();
  await expect(card(page, env.stack.mcp.url).locator('[data-excluded-tools]')).toHaveCount(0);
});
