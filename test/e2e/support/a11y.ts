/**
 * axe-core on the page as it is now: the workbench's bar is zero serious or critical violations
 * of WCAG 2.1 A and AA rules on every screen (issue 5). Violations are listed by rule and element
 * so a failure says what to fix.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect } from './guard.ts';

export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad, `axe-core on "${screen}"`).toEqual([]);
  // axe ran rules, not nothing: a page it could not analyse would pass silently otherwise.
  expect(results.passes.length, `axe-core checked "${screen}"`).toBeGreaterThan(10);
}

/** Whether the page scrolls sideways (a layout that does not fit the window). */
export async function expectNoSidewaysScroll(page: Page, screen: string): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, `"${screen}" fits ${clientWidth} px without scrolling sideways`).toBeLessThanOrEqual(clientWidth);
}
