/**
 * Long streams through the worker (issue 6). Chromium ends a service worker event that runs
 * longer than 5 minutes; a tool call streaming its progress through the worker must outlive
 * that with no error shown. Measured here: a call streaming one progress event a second for
 * 5 min 20 s arrives whole (first measured on Chromium 156: 360 s, unbroken).
 */
import { card, connect, expect, test } from './support/keyhole.ts';

const STEPS = 320;

test(`a tool call streaming progress for ${STEPS} s through the worker arrives whole, past 5 minutes`, async ({ page, env }) => {
  test.setTimeout((STEPS + 120) * 1000);
  await connect(page, env);
  const url = env.stack.mcp.url;
  const item = card(page, url).locator('li[data-tool="slow-count"]');
  await item.getByLabel('Arguments for slow-count').fill(JSON.stringify({ steps: STEPS, delayMs: 1000 }));
  await item.getByRole('button', { name: 'Call slow-count', exact: true }).click();
  const out = card(page, url).locator('output[data-tool-result="slow-count"]');
  await expect(out).toHaveAttribute('data-state', 'running');
  await expect(out).not.toHaveAttribute('data-state', 'running', { timeout: (STEPS + 60) * 1000 });
  await expect(out).toHaveAttribute('data-state', 'ok');
  await expect(out).toHaveText(`Counted to ${STEPS}`);
  await expect(card(page, url)).toHaveAttribute('data-state', 'connected');
  await expect(card(page, url).getByRole('alert')).toHaveCount(0);
});
