/**
 * Common mistakes of a new user (issue 20, items 7 and 8): each gets an error that says what is
 * wrong and what to do, and an unreachable server retried again and again keeps a short timeline.
 */
import type { Locator } from '@playwright/test';
import { card, expect, openAndConnect, test } from './support/keyhole.ts';
import { expectAccessible } from './support/a11y.ts';
import { freePort } from '../../demo/stack.mjs';

test('an address typed without its scheme: the form says so and offers the fixed address, which connects', async ({ page, env }) => {
  const port = new URL(env.stack.mcp.url).port;
  const fixed = `http://localhost:${port}/mcp`;
  expect(fixed).toBe(env.stack.mcp.url);
  const form = page.getByRole('form', { name: 'Add an MCP server' });

  // Elsewhere than loopback the fixed address is https (checked by the rule alone: nothing is fetched).
  await openAndConnect(page, env.appUrl, 'example.com/mcp');
  await expect(form.getByRole('alert')).toHaveText(
    'That is not a server URL Keyhole can use: The MCP server URL has no scheme (https://, or http:// on loopback): did you mean https://example.com/mcp?',
  );
  await expect(form.getByRole('button', { name: 'Use https://example.com/mcp' })).toBeVisible();

  // `localhost:PORT/mcp` parses as the scheme "localhost:": it is still said to lack one.
  await page.getByLabel('MCP server URL').fill(`localhost:${port}/mcp`);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(form.getByRole('alert')).toHaveText(
    `That is not a server URL Keyhole can use: The MCP server URL has no scheme (https://, or http:// on loopback): did you mean ${fixed}?`,
  );
  await expect(page.locator('server-card')).toHaveCount(0);
  await expectAccessible(page, 'address without a scheme, with the fixed address offered');

  await form.getByRole('button', { name: `Use ${fixed}` }).click();
  await expect(card(page, fixed)).toHaveAttribute('data-state', 'needs-authorization', { timeout: 20_000 });
  await expect(form.getByRole('alert')).toHaveCount(0);
});

test('the app’s own address as an MCP server: the card says it is a web page, not an MCP endpoint', async ({ page, env }) => {
  await openAndConnect(page, env.appUrl, env.appUrl);
  const item = card(page, env.appUrl);
  await expect(item).toHaveAttribute('data-state', 'error', { timeout: 20_000 });
  await expect(item.getByRole('alert')).toContainText(
    'This address serves a web page (text/html), not an MCP endpoint. Check the URL: MCP servers usually answer at a path such as /mcp.',
  );
  // A wrong address is not retried: it answers, wrongly.
  await expect(item.locator('[data-retry]')).toHaveCount(0);
  // The sidebar says what the card says (one source of state, one vocabulary).
  await expect(page.locator(`[data-overview="${env.appUrl}"] [data-overview-state]`)).toHaveText('Error');
  await expect(item.locator('[data-state-label]')).toHaveText('Error');
});

test('https to a loopback port that speaks plain http: the card says TLS failed and suggests http://', async ({ page, env }) => {
  const port = new URL(env.stack.mcp.url).port;
  const url = `https://localhost:${port}/mcp`;
  await openAndConnect(page, env.appUrl, url);
  const item = card(page, url);
  await expect(item.getByRole('alert')).toHaveText(
    `MCP request: the secure connection (TLS) to localhost:${port} could not be made, but http://localhost:${port} answers: ` +
      `the server there speaks plain http, not https: try http://localhost:${port}/mcp (plain http is allowed on loopback).`,
    { timeout: 20_000 },
  );
  await expect(item).toHaveAttribute('data-state', 'error');
  // Another URL is needed: retrying this one would not help.
  await expect(item.locator('[data-retry]')).toHaveCount(0);
});

test('an unreachable server retried again and again: its timeline stays short and counts the attempts', async ({ page, env }) => {
  const url = `http://localhost:${await freePort()}/mcp`;
  await openAndConnect(page, env.appUrl, url);
  const item = card(page, url);
  await expect(item.getByRole('alert')).toContainText('could not be reached from the browser: nothing answered', { timeout: 20_000 });
  await item.getByText(/Authorization timeline/).click();
  const lines = item.locator('details.timeline > ol > li');
  const failures = lines.filter({ hasText: 'could not be reached' });

  // Connect pressed again and again (the card retries by itself too, at 3, 5 and 10 s).
  const attempts = async (): Promise<number> => Number((await repeatOf(failures)) ?? 0);
  await expect
    .poll(
      async () => {
        if ((await item.getAttribute('data-state')) === 'error') {
          await item.getByRole('button', { name: 'Connect', exact: true }).click({ timeout: 1_000 }).catch(() => {});
        }
        return attempts();
      },
      { timeout: 60_000, intervals: [500], message: 'the failures of repeated attempts are counted on one line' },
    )
    .toBeGreaterThanOrEqual(8);

  // One line says "Connecting", one counts the failures; nothing else piled up.
  await expect(failures).toHaveCount(1);
  expect(await lines.count()).toBeLessThanOrEqual(3);
  await expect(failures.locator('.repeat')).toHaveText(/^×\d+, last at \S+/);
  await expectAccessible(page, 'unreachable server, timeline with a repeated line open');
});

/** The count on a timeline line, when it has one. */
async function repeatOf(line: Locator): Promise<string | null> {
  if ((await line.count()) !== 1) return null;
  return line.locator('[data-repeat]').getAttribute('data-repeat', { timeout: 1_000 }).catch(() => null);
}
