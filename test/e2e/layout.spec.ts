/**
 * The workbench as a person meets it (issues 15 and 20), measured rather than only found: the
 * selected server uses the width of a laptop screen, its tools are a list with one open, the
 * page is not a long strip, and a phone-width window neither overlaps nor scrolls sideways.
 */
import type { Page } from '@playwright/test';
import { expectAccessible, expectNoSidewaysScroll } from './support/a11y.ts';
import { addServer, authorize, callTool, card, expect, test, type Env } from './support/keyhole.ts';

type Box = { x: number; y: number; width: number; height: number };

async function box(page: Page, selector: string): Promise<Box> {
  const b = await page.locator(selector).first().boundingBox();
  expect(b, `${selector} is laid out`).not.toBeNull();
  return b!;
}

function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

async function connected(page: Page, env: Env): Promise<void> {
  await addServer(page, env);
  await authorize(page, env);
  await expect(card(page, env.stack.mcp.url).getByRole('listbox', { name: 'Tools' })).toBeVisible();
}

const SIZES = [
  { width: 1280, height: 800, wide: true },
  { width: 1440, height: 900, wide: true },
  { width: 390, height: 844, wide: false },
];

for (const colorScheme of ['light', 'dark'] as const) {
  for (const size of SIZES) {
    test(`${size.width}×${size.height}, ${colorScheme}: the selected server uses the screen, one tool form, no overlap`, async ({ page, env }) => {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.emulateMedia({ colorScheme });
      await page.goto(env.appUrl);
      await connected(page, env);
      const c = card(page, env.stack.mcp.url);

      // Exactly one tool's form is drawn: the open one's.
      await expect(c.locator('tools-panel schema-form')).toHaveCount(1);
      const sidebar = await box(page, 'keyhole-sidebar');
      const main = await box(page, 'keyhole-app main');
      expect(overlap(sidebar, main), 'sidebar and main area do not overlap').toBe(false);
      if (size.wide) {
        // Side by side: the sidebar on the left, the server in the wide column.
        expect(sidebar.x + sidebar.width).toBeLessThanOrEqual(main.x);
        const cardBox = await box(page, `server-card[data-server-url="${env.stack.mcp.url}"]`);
        expect(cardBox.width / size.width, 'the main area takes at least 60% of the window').toBeGreaterThanOrEqual(0.6);
        // The tool list and the open tool stand side by side in it.
        const list = await box(page, 'tools-panel item-list');
        const detail = await box(page, 'tools-panel section.detail');
        expect(list.x + list.width).toBeLessThanOrEqual(detail.x);
        expect(detail.width).toBeGreaterThan(list.width);
      } else {
        expect(sidebar.y + sidebar.height).toBeLessThanOrEqual(main.y);
      }
      const scrollHeight = await page.evaluate(() => document.documentElement.scrollHeight);
      expect(scrollHeight, 'the Tools tab is not a long strip').toBeLessThanOrEqual(2 * size.height);
      await expectNoSidewaysScroll(page, `${size.width} px, Tools tab`);
      await expectAccessible(page, `${size.width} px, ${colorScheme}, Tools tab`);
    });
  }
}

test('at 360 px the sidebar sits above the server and nothing scrolls sideways on any tab', async ({ page, env }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(env.appUrl);
  await connected(page, env);
  const c = card(page, env.stack.mcp.url);
  for (const tab of ['Tools', 'Tasks', 'Resources', 'Prompts', 'History', 'Log', 'Protocol', 'Roots']) {
    await c.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
    await expectNoSidewaysScroll(page, `360 px, ${tab} tab`);
  }
  // The add form folds away once a server exists, and opens again on demand.
  await expect(page.getByLabel('MCP server URL')).toBeHidden();
  await page.locator('details.add > summary').click();
  await expect(page.getByLabel('MCP server URL')).toBeVisible();
});

test('keyboard focus starts in the sidebar, on the left, and the list opens tools with arrows and Enter', async ({ page, env }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(env.appUrl);
  await connected(page, env);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    const r = el!.getBoundingClientRect();
    return { x: r.x };
  });
  const main = await box(page, 'keyhole-app main');
  expect(first.x, 'the first Tab stop is left of the main area').toBeLessThan(main.x);

  const c = card(page, env.stack.mcp.url);
  const list = c.getByRole('listbox', { name: 'Tools' });
  const options = list.getByRole('option');
  const names = await options.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.key));
  await options.first().focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(c.locator(`section[data-tool="${names[2]}"]`)).toBeVisible();
  await expect(list.locator(`[data-key="${names[2]}"]`)).toHaveAttribute('aria-selected', 'true');
  await expect(c.locator('tools-panel schema-form')).toHaveCount(1);

  // "/" focuses the filter; typing narrows the list; Enter on a single match opens it.
  await page.locator('body').click({ position: { x: 5, y: 790 } });
  await page.keyboard.press('/');
  const filter = c.getByRole('searchbox', { name: 'Filter tools' });
  await expect(filter).toBeFocused();
  await page.keyboard.type('slow-c');
  await expect(options).toHaveCount(1);
  await page.keyboard.press('Enter');
  await expect(c.locator('section[data-tool="slow-count"]')).toBeVisible();
});

test('a one-line result sits in a box of one line; the Error badge is not indented', async ({ page, env }) => {
  await page.goto(env.appUrl);
  await connected(page, env);
  const c = card(page, env.stack.mcp.url);
  const out = await callTool(page, env, 'echo', { text: '42' });
  await expect(out).toHaveText('42');
  const lineHeight = await out.evaluate((el) => parseFloat(getComputedStyle(el).fontSize) * 1.6);
  const { height } = (await out.boundingBox())!;
  expect(height, 'the result box of "42" is not padded with blank lines').toBeLessThan(lineHeight + 30);

  const failed = await callTool(page, env, 'failing-tool');
  await expect(failed).toHaveAttribute('data-state', 'error');
  const [outBox, badgeBox] = [(await failed.boundingBox())!, (await failed.getByText('Error', { exact: true }).first().boundingBox())!];
  expect(badgeBox.x - outBox.x, 'the Error badge starts at the box’s padding, not indented').toBeLessThan(32);
  await expect(c.locator('tools-panel schema-form')).toHaveCount(1);
});
