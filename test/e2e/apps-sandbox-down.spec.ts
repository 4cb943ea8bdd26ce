/**
 * MCP Apps with a sandbox origin that never answers (its site not published where the build says,
 * or unreachable): the person is told so in the app's place, not left with an empty frame. Found
 * in the cross-browser suite, where Firefox's proxy once refused to start without a word.
 */
import { DIST } from './support/guard.ts';
import { card, connectOn, expect, fillArguments, openTool, test } from './support/keyhole.ts';
import { builtSandboxOrigin } from '../../scripts/sandbox-site.mjs';
import { expectAccessible } from './support/a11y.ts';

test('an unreachable sandbox origin is said in the app’s place', async ({ page, env }) => {
  const origin = builtSandboxOrigin(DIST);
  expect(origin, `${DIST}/ was built without MCP Apps (KEYHOLE_SANDBOX_URL)`).toBeTruthy();
  // Whether or not another test serves the sandbox site, this page cannot reach it.
  await page.route(`${origin}/**`, (route) => route.abort('connectionrefused'));
  const c = await connectOn(page, env, '2026-07-28');
  const item = await openTool(c, 'sum-app');
  await fillArguments(item, 'sum-app', { a: 1, b: 2 });
  await item.getByRole('button', { name: 'Call sum-app', exact: true }).click();
  const view = card(page, env.stack.mcp.url).locator('section[data-tool="sum-app"] mcp-app-view');
  await expect(view.locator('iframe')).toBeAttached();
  const alert = view.locator('[data-sandbox-stalled]');
  await expect(alert).toHaveAttribute('role', 'alert', { timeout: 25_000 });
  await expect(alert).toContainText(`The app’s sandbox (${origin}) did not answer within 15 s`);
  await expect(view.locator('[data-app-log]')).toContainText('did not answer');
  await expectAccessible(page, 'an app whose sandbox did not answer');
});
