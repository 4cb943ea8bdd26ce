/**
 * Network trouble (issue 6): an MCP server that stops answering puts the card in a clear error,
 * and Keyhole reconnects by itself when it answers again, with no action from the person. The
 * same for an authorization server down during discovery or at refresh time, whose tokens are kept.
 */
import { addByUrl, authorizationRequests, callTool, card, connect, expect, expectState, readIndexedDb, test, fillArguments, openTool } from './support/keyhole.ts';

test('an MCP server down, then back: a clear error, then a reconnection by itself', async ({ page, context, env }) => {
  const url = env.stack.mcp.url;
  await connect(page, env);
  // The server stops answering: every connection to it is refused (the worker's requests too).
  await context.route(url, (route) => route.abort('connectionrefused'));
  const item = await openTool(card(page, url), 'echo');
  await fillArguments(item, 'echo', { text: 'while down' });
  await item.getByRole('button', { name: 'Call echo', exact: true }).click();
  await expectState(page, url, 'error');
  await expect(card(page, url).getByRole('alert')).toContainText('could not be reached');
  await expect(card(page, url).locator('[data-retry]')).toContainText('tries again by itself');

  // Back: the next automatic retry finds it.
  await context.unroute(url);
  await expectState(page, url, 'connected', 30_000);
  await expect(await callTool(page, env, 'echo', { text: 'back again' })).toHaveText('back again');
});

test('the authorization server down during discovery, then back: a clear error, then authorization by itself', async ({ page, context, env }) => {
  const url = env.stack.mcp.url;
  const issuer = env.stack.auth.issuer;
  await context.route(`${issuer}/**`, (route) => route.abort('connectionrefused'));
  await page.goto(env.appUrl);
  await addByUrl(page, url);
  await expectState(page, url, 'error');
  await expect(card(page, url).getByRole('alert')).toContainText('could not be reached');
  await expect(card(page, url).locator('[data-retry]')).toContainText('tries again by itself');

  await context.unroute(`${issuer}/**`);
  await expectState(page, url, 'needs-authorization', 30_000);
});

test.describe('the authorization server down at refresh time', () => {
  // Four-second tokens: due for refresh after two.
  test.use({ accessTokenTTL: 4 });

  test('the tokens are kept, the card says so and recovers by itself, with no new authorization', async ({ page, context, env }) => {
    const url = env.stack.mcp.url;
    const issuer = env.stack.auth.issuer;
    await connect(page, env);
    await context.route(`${issuer}/**`, (route) => route.abort('connectionrefused'));
    await page.waitForTimeout(2_200);
    const item = await openTool(card(page, url), 'echo');
    await fillArguments(item, 'echo', { text: 'while the AS is down' });
    await item.getByRole('button', { name: 'Call echo', exact: true }).click();
    await expectState(page, url, 'error');
    await expect(card(page, url).getByRole('alert')).toContainText(/The token endpoint at .* could not be reached/);
    await expect(card(page, url).locator('[data-retry]')).toContainText('tries again by itself');
    // Nothing went to the MCP server without its token meanwhile.
    expect(env.stack.mcp.requests.filter((r: { credentialed?: boolean; mcpMethod?: string }) => r.credentialed === false).map((r) => r.mcpMethod)).toEqual(['server/discover']);
    expect((await readIndexedDb(page)).tokens).toHaveLength(1);

    await context.unroute(`${issuer}/**`);
    await expectState(page, url, 'connected', 30_000);
    expect(authorizationRequests(env)).toBe(1);
    await expect(await callTool(page, env, 'echo', { text: 'the AS is back' })).toHaveText('the AS is back');
  });
});
