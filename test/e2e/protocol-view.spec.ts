/**
 * The protocol view as a person uses it: one line per message with a disclosure marker, a
 * request and its answer linked both ways, the message as foldable JSON that copies, "Jump to
 * newest", axe-core with a message open in both themes, and a phone-width window that does not
 * scroll sideways.
 */
import type { Locator, Page } from '@playwright/test';
import { expectAccessible, expectNoSidewaysScroll } from './support/a11y.ts';
import { callTool, card, connect, expect, fillArguments, openTool, test, type Env } from './support/keyhole.ts';

/** Connects, calls echo with `text`, and shows the Protocol tab. */
async function protocolAfterEcho(page: Page, env: Env, text: string): Promise<Locator> {
  await connect(page, env);
  await callTool(page, env, 'echo', { text });
  const c = card(page, env.stack.mcp.url);
  await c.getByRole('tab', { name: /^Protocol/ }).click();
  return c.locator('wire-view');
}

const echoRequest = (wire: Locator) => wire.locator('li[data-dir="out"][data-kind="request"][data-method="tools/call"]');
const echoResult = (wire: Locator) => wire.locator('li[data-dir="in"][data-kind="response"][data-method="tools/call"]');
const toggle = (row: Locator) => row.locator('button.toggle');

/** The message a row shows, read from the log the view draws. */
async function messageOf(wire: Locator, row: Locator): Promise<unknown> {
  const seq = Number(await row.getAttribute('data-seq'));
  return wire.evaluate((el, s) => (el as unknown as { log: { entries: { seq: number; message: unknown }[] } }).log.entries.find((e) => e.seq === s)?.message, seq);
}

/** Height of a row's line against the line height of its text. */
async function linesHigh(row: Locator): Promise<number> {
  return toggle(row).evaluate((b) => b.getBoundingClientRect().height / parseFloat(getComputedStyle(b).lineHeight));
}

test('a request and its answer are one line each, linked both ways, with a disclosure that opens the message', async ({ page, env }) => {
  const wire = await protocolAfterEcho(page, env, `paired on the wire ${'and long enough to be cut at the end of the line '.repeat(4)}`);
  const sent = echoRequest(wire);
  const got = echoResult(wire);
  await expect(sent).toHaveCount(1);
  await expect(got).toHaveCount(1);

  // The request row says how its answer went: round trip and outcome; the answer row its round trip.
  await expect(sent.locator('.ms')).toHaveText(/^\d+ ms$/);
  await expect(sent.locator('.outcome')).toHaveText('ok');
  await expect(got.locator('.ms')).toHaveText(/^\d+ ms$/);
  await expect(got.locator('.what')).toHaveText('result');
  await expect(sent.locator('.summary')).toContainText('paired on the wire');

  // One line each, however long the message: the summary is cut with an ellipsis, not wrapped.
  for (const row of [sent, got]) expect(await linesHigh(row)).toBeLessThan(2);
  const summary = sent.locator('.summary');
  expect(await summary.evaluate((s) => [getComputedStyle(s).textOverflow, s.scrollWidth > s.clientWidth])).toEqual(['ellipsis', true]);

  // "Go to response" moves focus to the answer's row, and "Go to request" back.
  await sent.getByRole('button', { name: 'Go to response' }).click();
  await expect(toggle(got)).toBeFocused();
  await expect(got).toHaveClass(/flash/);
  await got.getByRole('button', { name: 'Go to request' }).click();
  await expect(toggle(sent)).toBeFocused();

  // A filter that hides the partner gives way to it.
  await wire.getByLabel('Kind').selectOption('request');
  await expect(got).toHaveCount(0);
  await sent.getByRole('button', { name: 'Go to response' }).click();
  await expect(toggle(got)).toBeFocused();
  await expect(wire.getByLabel('Kind')).toHaveValue('all');

  // The disclosure: a marker and aria-expanded, by mouse and by keyboard.
  await expect(toggle(got)).toHaveAttribute('aria-expanded', 'false');
  await expect(got.locator('.marker')).toHaveText('▸');
  await expect(got.locator('json-view')).toHaveCount(0);
  await toggle(got).click();
  await expect(toggle(got)).toHaveAttribute('aria-expanded', 'true');
  await expect(got.locator('.marker').first()).toHaveText('▾');
  await expect(got.locator('json-view')).toBeVisible();
  await toggle(got).focus();
  await page.keyboard.press('Enter');
  await expect(toggle(got)).toHaveAttribute('aria-expanded', 'false');
  await expect(got.locator('json-view')).toHaveCount(0);
  await page.keyboard.press('Space');
  await expect(toggle(got)).toHaveAttribute('aria-expanded', 'true');
  // Opened, the row's line is still one line: the message is below it.
  expect(await linesHigh(got)).toBeLessThan(2);
});

test('an opened message folds and unfolds, and copies as JSON', async ({ page, env, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const wire = await protocolAfterEcho(page, env, 'fold me');
  const got = echoResult(wire);
  await toggle(got).click();
  const json = got.locator('json-view');
  const fold = (key: string) => json.locator('button.fold').filter({ hasText: new RegExp(`^.?"${key}":`) });

  // Open at first: the message, its result and the result's content list; folded, an object says what it holds.
  const result = fold('result');
  await expect(result).toHaveAttribute('aria-expanded', 'true');
  await expect(json).toContainText('"text": "fold me"');
  await result.click();
  await expect(result).toHaveAttribute('aria-expanded', 'false');
  await expect(result).toContainText(/\{…\} \d+ keys?/);
  await expect(json).not.toContainText('fold me');
  await result.press('Enter');
  await expect(result).toHaveAttribute('aria-expanded', 'true');
  await expect(json).toContainText('"text": "fold me"');

  await json.getByRole('button', { name: 'Collapse all' }).click();
  await expect(result).toHaveAttribute('aria-expanded', 'false');
  await json.getByRole('button', { name: 'Expand all' }).click();
  const folds = json.locator('button.fold');
  expect(await folds.count()).toBeGreaterThan(2);
  for (const f of await folds.all()) await expect(f).toHaveAttribute('aria-expanded', 'true');

  // Copy: the whole message as JSON, whatever is folded, and it says so.
  const seq = await got.getAttribute('data-seq');
  await json.getByRole('button', { name: `Copy message ${seq} as JSON` }).click();
  await expect(json.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
  const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText())) as unknown;
  expect(copied).toEqual(await messageOf(wire, got));
  expect(copied).toMatchObject({ result: { content: [{ type: 'text' }] } });
});

test('Jump to newest: offered when the list is scrolled away from the bottom, where the newest message is', async ({ page, env }) => {
  await page.setViewportSize({ width: 1280, height: 560 });
  await connect(page, env);
  // Enough messages to overflow the list: connecting alone sends few (lists are fetched when shown).
  for (const text of ['one', 'two', 'three', 'four', 'five', 'six']) await callTool(page, env, 'echo', { text });
  const c = card(page, env.stack.mcp.url);
  await c.getByRole('tab', { name: /^Protocol/ }).click();
  const wire = c.locator('wire-view');
  const list = wire.locator('ol.wire');
  const jump = wire.getByRole('button', { name: /Jump to newest/ });
  const rows = wire.locator('ol.wire > li');
  expect(await list.evaluate((l) => l.scrollHeight > l.clientHeight), 'enough messages to scroll').toBe(true);
  // The page scrolls to the list; the list itself scrolls inside.
  await list.scrollIntoViewIfNeeded();

  // Shown, the list is at its newest message (the last), so there is nowhere to jump.
  await expect(jump).toBeDisabled();
  await expect(rows.last()).toBeInViewport();
  await expect(rows.last()).toContainText('six');

  await list.evaluate((l) => l.scrollTo({ top: 0 }));
  await expect(jump).toBeEnabled();
  await expect(rows.last()).not.toBeInViewport();
  await jump.click();
  await expect(rows.last()).toBeInViewport();
  await expect(toggle(rows.last())).toBeFocused();
  await expect(jump).toBeDisabled();
});

test('while at the bottom the list follows new messages; scrolled up, it stays where it is', async ({ page, env }) => {
  await page.setViewportSize({ width: 1280, height: 560 });
  await connect(page, env);
  const c = card(page, env.stack.mcp.url);
  // slow-count sends a progress notification per step while the Protocol tab is shown.
  // (What callTool does, without waiting for the end.)
  const item = await openTool(c, 'slow-count');
  await fillArguments(item, 'slow-count', { steps: 30, delayMs: 250 });
  await item.getByRole('button', { name: 'Call slow-count', exact: true }).click();
  await c.getByRole('tab', { name: /^Protocol/ }).click();
  const wire = c.locator('wire-view');
  const list = wire.locator('ol.wire');
  const progress = wire.locator('li[data-method="notifications/progress"]');
  const gap = () => list.evaluate((l) => l.scrollHeight - l.scrollTop - l.clientHeight);
  // Enough rows to overflow the list (connecting alone sends few messages).
  await expect(progress.nth(10)).toBeAttached();
  const seen = await progress.count();
  await expect(progress.nth(seen)).toBeAttached();
  expect(await gap(), 'still at the bottom after a new message').toBeLessThanOrEqual(4);

  await list.evaluate((l) => l.scrollTo({ top: 0 }));
  const now = await progress.count();
  await expect(progress.nth(now)).toBeAttached();
  expect(await list.evaluate((l) => l.scrollTop), 'scrolled up, the list stays put').toBe(0);
  await expect(wire.getByRole('button', { name: /Jump to newest/ })).toBeEnabled();
  await expect(wire.locator('li[data-kind="response"][data-method="tools/call"]')).toHaveCount(1, { timeout: 30_000 });
});

test('a 2 MB message opens at once: its long string clipped, drawn in a box of its own that scrolls from the keyboard', async ({ page, env }) => {
  const big = 'x'.repeat(2_000_000);
  const wire = await protocolAfterEcho(page, env, big);
  const got = echoResult(wire);
  const took = await toggle(got).evaluate(async (b) => {
    const started = performance.now();
    (b as HTMLButtonElement).click();
    // Two frames: the row's update and the JSON view's first paint.
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return performance.now() - started;
  });
  await expect(got.locator('json-view')).toBeVisible();
  expect(took, 'ms to open a 2 MB message').toBeLessThan(1500);
  const tree = got.locator('json-view .tree');
  await expect(tree).toHaveAttribute('tabindex', '0');
  await expect(tree).toHaveAttribute('role', 'region');
  const showAll = got.getByRole('button', { name: 'Show all 2,000,000 characters' });
  await expect(showAll).toBeVisible();
  // The text filter still answers quickly over it.
  await wire.getByLabel('Contains').fill('xxxx');
  await expect(wire.locator('ol.wire > li')).toHaveCount(2);
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the Protocol tab with a message open passes axe-core in the ${colorScheme} theme`, async ({ page, env }) => {
    await page.emulateMedia({ colorScheme });
    const wire = await protocolAfterEcho(page, env, 'accessible');
    const got = echoResult(wire);
    await toggle(got).click();
    await got.locator('json-view button.fold').first().click();
    await got.locator('json-view button.fold').first().click();
    await expectAccessible(page, `Protocol tab, a message open (${colorScheme})`);
    // "Go to" highlights a row: still accessible (contrast) while it does.
    await echoRequest(wire).getByRole('button', { name: 'Go to response' }).click();
    await expect(got).toHaveClass(/flash/);
    await expectAccessible(page, `Protocol tab, a row highlighted (${colorScheme})`);
  });
}

test('at phone width, a message open, nothing scrolls sideways and rows stay one line', async ({ page, env }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  const longKey = `${'very-long-key-without-spaces'.repeat(4)}`;
  const wire = await protocolAfterEcho(page, env, `${'a'.repeat(300)} ${longKey} https://example.com/${'path/'.repeat(30)}`);
  const sent = echoRequest(wire);
  await toggle(sent).click();
  await expect(sent.locator('json-view')).toBeVisible();
  await expectNoSidewaysScroll(page, 'Protocol tab, a request open');
  const got = echoResult(wire);
  await toggle(got).click();
  await expectNoSidewaysScroll(page, 'Protocol tab, request and answer open');
  for (const row of await wire.locator('ol.wire > li').all()) expect(await linesHigh(row)).toBeLessThan(2);
  // The JSON uses the row's width: no box of its own narrower than the list.
  const [jsonWidth, listWidth] = await Promise.all([sent.locator('json-view').evaluate((j) => j.getBoundingClientRect().width), wire.locator('ol.wire').evaluate((l) => l.clientWidth)]);
  expect(jsonWidth).toBeGreaterThan(listWidth * 0.85);
});
