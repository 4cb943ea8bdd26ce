/**
 * Multi round-trip requests (MCP 2026-07-28, SEP-2322) driven through the UI: the server answers a
 * tool call with `input_required`; the person answers in the card's question panel; the SDK client
 * retries the call under a new id with `inputResponses` and the `requestState` echoed byte for byte,
 * which the demo server checks (a changed state is a tool error). Elicitation accepted and
 * declined, sampling answered, roots listed; and no token in anything the page read meanwhile.
 */
import type { Locator, Page } from '@playwright/test';
import { connectOn, expect, fillArguments, openTool, tab, test } from './support/keyhole.ts';

async function call(c: Locator, name: string, args?: unknown): Promise<Locator> {
  const item = await openTool(c, name);
  if (args !== undefined) await fillArguments(item, name, args);
  await item.getByRole('button', { name: `Call ${name}`, exact: true }).click();
  return c.locator(`output[data-tool-result="${name}"]`);
}

async function finished(out: Locator): Promise<void> {
  await expect(out).not.toHaveAttribute('data-state', 'running', { timeout: 30_000 });
}

/** The requestState values the page received in input_required results, as its protocol view recorded them. */
async function statesReceived(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const app = document.querySelector('keyhole-app');
    const cards = Array.from(app?.shadowRoot?.querySelectorAll('server-card') ?? []) as unknown as { wire: { entries: { dir: string; message: { result?: { resultType?: string; requestState?: string } } }[] } }[];
    return cards.flatMap((c) => c.wire.entries)
      .filter((e) => e.dir === 'in' && e.message.result?.resultType === 'input_required' && typeof e.message.result.requestState === 'string')
      .map((e) => e.message.result!.requestState!);
  });
}

test('on 2026-07-28 the person answers through multi round-trip requests; the retry echoes the state', async ({ page, env }) => {
  // What page code sent and could read, as custody.spec.ts captures it: navigations are followed
  // by the browser (the authorization redirects), not made or read by page code.
  const seen: string[] = [];
  const pending: Promise<unknown>[] = [];
  page.on('request', (r) => {
    if (!r.isNavigationRequest()) seen.push(`${r.url()} ${JSON.stringify(r.headers())} ${r.postData() ?? ''}`);
  });
  page.on('response', (r) => {
    if (r.request().isNavigationRequest()) return;
    seen.push(`${r.url()} ${JSON.stringify(r.headers())}`);
    if (!(r.headers()['content-type'] ?? '').includes('text/event-stream')) pending.push(r.text().then((t) => seen.push(t), () => {}));
  });
  const c = await connectOn(page, env, '2026-07-28');
  const calls = env.stack.mcp.toolCalls;

  // Elicitation, accepted.
  let from = calls.length;
  const trip = await call(c, 'plan-trip', { traveller: 'Ada' });
  const ask = c.locator('ask-view');
  await expect(ask).toContainText('Where should Ada go?');
  await expect(ask.getByLabel('nights', { exact: true })).toHaveValue('2');
  await ask.getByLabel('City', { exact: true }).fill('Lisbon');
  await ask.getByRole('button', { name: 'Send' }).click();
  await finished(trip);
  await expect(trip).toHaveAttribute('data-state', 'ok');
  await expect(trip).toHaveText('Trip for Ada: 2 nights in Lisbon');
  let made = calls.slice(from);
  expect(made.map((r) => [r.name, !!r.retry])).toEqual([['plan-trip', false], ['plan-trip', true]]);
  expect(made[1]!.inputResponses).toEqual(['destination']);
  const states = await statesReceived(page);
  expect(states).toHaveLength(1);
  expect(made[1]!.requestState, 'the state echoed byte for byte').toBe(states[0]);

  // Elicitation, declined: the retry carries the decline.
  from = calls.length;
  await call(c, 'plan-trip', { traveller: 'Ada' });
  await c.locator('ask-view').getByRole('button', { name: 'Decline' }).click();
  await finished(trip);
  await expect(trip).toHaveText('Trip for Ada: declined');
  made = calls.slice(from);
  expect(made.map((r) => !!r.retry)).toEqual([false, true]);
  expect(made[1]!.requestState).toBe((await statesReceived(page))[1]);

  // Sampling, answered by the person.
  from = calls.length;
  const draft = await call(c, 'draft-reply', { message: 'Lunch on Friday?' });
  const sample = c.locator('ask-view');
  await expect(sample).toContainText('Draft a short reply to: Lunch on Friday?');
  await sample.getByLabel('Your answer').fill('Friday works.');
  await sample.getByRole('button', { name: 'Send answer' }).click();
  await finished(draft);
  await expect(draft).toHaveText('Draft: Friday works.');
  made = calls.slice(from);
  expect(made.map((r) => [r.name, !!r.retry, r.inputResponses])).toEqual([['draft-reply', false, undefined], ['draft-reply', true, ['draft']]]);
  expect(made[1]!.requestState).toBe((await statesReceived(page))[2]);

  // Roots: answered from what the person set, without a question; no state was given, none is sent.
  await tab(c, 'Roots').click();
  await c.getByLabel('Root URI').fill('file:///home/ada/trips');
  await c.getByRole('button', { name: 'Add root' }).click();
  from = calls.length;
  const roots = await call(c, 'list-roots');
  await finished(roots);
  await expect(roots).toContainText('file:///home/ada/trips');
  made = calls.slice(from);
  expect(made.map((r) => [r.name, !!r.retry, r.inputResponses, r.requestState])).toEqual([
    ['list-roots', false, undefined, undefined],
    ['list-roots', true, ['roots'], undefined],
  ]);

  // Custody over the exchange: none of the tokens the AS issued is in what the page sent or read,
  // its DOM or its protocol record (control: the MRTR answers were read).
  const dom = await page.evaluate(() => {
    const parts: string[] = [];
    const walk = (root: Document | ShadowRoot) => {
      parts.push(root instanceof Document ? root.documentElement.outerHTML : root.innerHTML);
      for (const el of Array.from(root.querySelectorAll('*'))) if (el.shadowRoot) walk(el.shadowRoot);
    };
    walk(document);
    return parts.join('\n') + JSON.stringify(localStorage) + JSON.stringify(sessionStorage);
  });
  await Promise.all(pending);
  const everything = [...seen, dom, JSON.stringify(await statesReceived(page))].join('\n');
  expect(everything).toContain('input_required');
  const secrets: string[] = env.stack.auth.secrets();
  expect(secrets.length).toBeGreaterThan(0);
  for (const s of secrets) expect(everything.includes(s), `secret ${s.slice(0, 4)}… in page-visible data`).toBe(false);
});
