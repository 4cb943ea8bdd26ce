/**
 * Network trouble (issue 6): an MCP server that stops answering puts the card in a clear error,
 * and Keyhole reconnects by itself when it answers again, with no action from the person.
 */
import { callTool, card, connect, expect, expectState, test } from './support/keyhole.ts';

test('an MCP server down, then back: a clear error, then a reconnection by itself', async ({ page, context, env }) => {
  const url = env.stack.mcp.url;
  await connect(page, env);
  // The server stops answering: every connection to it is refused (the worker's requests too).
  await context.route(url, (route) => route.abort('connectionrefused'));
  const item = card(page, url).locator('li[data-tool="echo"]');
  await item.getByLabel('Arguments for echo').fill(JSON.stringify({ text: 'while down' }));
  await item.getByRole('button', { name: 'Call echo', exact: true }).click();
  await expectState(page, url, 'error');
  await expect(card(page, url).getByRole('alert')).toContainText('could not be reached');
  await expect(card(page, url).locator('[data-retry]')).toContainText('tries again by itself');

  // Back: the next automatic retry finds it.
  await context.unroute(url);
  await expectState(page, url, 'connected', 30_000);
  await expect(await callTool(page, env, 'echo', { text: 'back again' })).toHaveText('back again');
});
