/**
 * Accessibility and layout of every screen (issue 5): axe-core with zero serious or critical
 * violations in light and dark themes, keyboard use of the workbench's tabs, and a phone-width
 * window that never scrolls sideways.
 */
import { expectAccessible, expectNoSidewaysScroll } from './support/a11y.ts';
import { addServer, authorize, callTool, card, expect, expectState, test } from './support/keyhole.ts';

const TABS = ['Tools', 'Tasks', 'Resources', 'Prompts', 'History', 'Log', 'Protocol', 'Roots'];

for (const colorScheme of ['light', 'dark'] as const) {
  test(`every screen passes axe-core in the ${colorScheme} theme`, async ({ page, env }) => {
    await page.emulateMedia({ colorScheme });
    await page.goto(env.appUrl);
    await expect(page.getByRole('button', { name: 'Connect', exact: true })).toBeEnabled();
    await expectAccessible(page, 'empty app');
    await page.getByText('Client settings').click();
    await expectAccessible(page, 'add form with client settings');

    await addServer(page, env);
    await expectState(page, env.stack.mcp.url, 'needs-authorization');
    const c = card(page, env.stack.mcp.url);
    await c.getByText(/Authorization timeline/).click();
    await expectAccessible(page, 'needs authorization, timeline open');

    await authorize(page, env);
    await callTool(page, env, 'echo', { text: 'accessible' });
    for (const tab of TABS) {
      await c.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
      await expect(c.getByRole('tab', { name: new RegExp(`^${tab}`) })).toHaveAttribute('aria-selected', 'true');
      await expectAccessible(page, `connected, ${tab} tab`);
    }
    await c.getByRole('button', { name: 'Disconnect' }).click();
    await expectState(page, env.stack.mcp.url, 'disconnected');
    await expectAccessible(page, 'disconnected');
  });
}

test('the workbench tabs work from the keyboard (WAI-ARIA tabs: arrows, Home, End)', async ({ page, env }) => {
  await addServer(page, env);
  await authorize(page, env);
  const c = card(page, env.stack.mcp.url);
  const tools = c.getByRole('tab', { name: /^Tools/ });
  await tools.focus();
  await page.keyboard.press('ArrowRight');
  await expect(c.getByRole('tab', { name: /^Tasks/ })).toBeFocused();
  await expect(c.getByRole('tab', { name: /^Tasks/ })).toHaveAttribute('aria-selected', 'true');
  await expect(c.getByRole('tabpanel')).toHaveAttribute('data-tab', 'Tasks');
  await page.keyboard.press('End');
  await expect(c.getByRole('tab', { name: /^Roots/ })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(tools).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(c.getByRole('tab', { name: /^Roots/ })).toBeFocused();
  await page.keyboard.press('Home');
  await expect(tools).toBeFocused();
  // Tab leaves the tab list for the panel's first control (one tab stop for the whole list).
  await page.keyboard.press('Tab');
  await expect(c.getByRole('tab', { name: /^Tasks/ })).not.toBeFocused();
  await expect(c.getByRole('tabpanel')).toHaveAttribute('data-tab', 'Tools');
});

test('at phone width nothing scrolls sideways, on any screen', async ({ page, env }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(env.appUrl);
  await expectNoSidewaysScroll(page, 'empty app');
  await addServer(page, env);
  await authorize(page, env);
  const c = card(page, env.stack.mcp.url);
  await c.getByText(/Authorization timeline/).click();
  await c.locator('details.doc').first().click();
  await expectNoSidewaysScroll(page, 'timeline with a document open');
  await callTool(page, env, 'echo', { text: 'a'.repeat(300) });
  for (const tab of TABS) {
    await c.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
    await expectNoSidewaysScroll(page, `${tab} tab`);
  }
  await expectAccessible(page, 'phone width, Roots tab');
});
