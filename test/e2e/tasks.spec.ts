/**
 * The Tasks extension (`io.modelcontextprotocol/tasks`, SEP-2663) in Chromium against the demo
 * server's `long-task` (demo/mcp/tasks.mjs) on protocol 2026-07-28: a task runs to completion
 * with its status updates shown and its one question answered (`tasks/update`); one is cancelled
 * (`tasks/cancel`); a page closed during a task and opened again shows how it ended, and nothing
 * polls while no page is open; nothing polls while the page is hidden, and polling resumes when
 * it shows; over the real 20 s, `tasks/get` arrives at most 20 s / pollIntervalMs + 1 times. Every task request carries `Mcp-Name` = the task id. No token
 * reaches anything the page can read. axe-core on the Tasks view in both themes; screenshots at
 * 1280 and 390 px wide. The task runner's code comes only when a task exists (task-support.ts).
 */
import type { Locator, Page } from '@playwright/test';
import { expectAccessible, expectNoSidewaysScroll } from './support/a11y.ts';
import { openHideablePage } from './support/hideable-page.ts';
import { card, connectOn, expect, expectState, fillArguments, openTool, tab, test, type Env } from './support/keyhole.ts';

const PROTOCOL = '2026-07-28';

type TaskRequest = { method: string; taskId?: string; mcpName: string | null; time: number; inputResponses?: unknown };
const taskRequests = (env: Env) => (env.stack.mcp as unknown as { taskRequests: TaskRequest[] }).taskRequests;

/** Calls long-task from its form; returns the call's output. */
async function startTask(c: Locator, seconds?: number): Promise<Locator> {
  const item = await openTool(c, 'long-task');
  await fillArguments(item, 'long-task', seconds === undefined ? {} : { seconds });
  await item.getByRole('button', { name: 'Call long-task', exact: true }).click();
  return c.locator('output[data-tool-result="long-task"]');
}

/** The one task the Tasks view lists (the newest). */
function newestTask(c: Locator): Locator {
  return c.locator('tasks-view li[data-task]').first();
}

/** Answers the task's halfway question with a note, in the card's ask queue. */
async function answerQuestion(c: Locator, note: string): Promise<void> {
  const ask = c.locator('ask-view');
  await expect(ask).toContainText('Continue?', { timeout: 30_000 });
  await ask.getByRole('textbox').first().fill(note);
  await ask.getByRole('button', { name: 'Send' }).click();
  await expect(ask).toHaveCount(0);
}

async function fullDom(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts: string[] = [];
    const walk = (root: Document | ShadowRoot) => {
      parts.push(root instanceof Document ? root.documentElement.outerHTML : root.innerHTML);
      for (const el of Array.from(root.querySelectorAll('*'))) if (el.shadowRoot) walk(el.shadowRoot);
    };
    walk(document);
    const cards = Array.from(document.querySelector('keyhole-app')?.shadowRoot?.querySelectorAll('server-card') ?? []) as unknown as { wire: { entries: unknown[] } }[];
    parts.push(JSON.stringify(cards.map((c) => c.wire.entries)), JSON.stringify(Object.entries(localStorage)), JSON.stringify(Object.entries(sessionStorage)));
    return parts.join('\n');
  });
}

test.describe('Tasks extension on 2026-07-28', () => {
  test('a task runs to completion with its status shown and its question answered; no token reaches the page', async ({ page, env }) => {
    const c = await connectOn(page, env, PROTOCOL);
    const out = await startTask(c, 4);
    // While it runs, the Tools tab shows the task's status and the server's message, no counter.
    await expect(out).toHaveText(/^Task working: Step \d+ of 10$/, { timeout: 10_000 });
    await tab(c, 'Tasks').click();
    const task = newestTask(c);
    await expect(task).toContainText('long-task');
    await expect(task.locator('.message')).toContainText(/Step \d of 10/, { timeout: 10_000 });
    const statuses = new Set<string>();
    await expect
      .poll(
        async () => {
          statuses.add((await task.locator('.message').textContent()) ?? '');
          return task.getAttribute('data-status');
        },
        { timeout: 10_000, intervals: [100] },
      )
      .toBe('input_required');
    expect([...statuses].filter((s) => /Step \d of 10/.test(s)).length, `status updates seen: ${[...statuses].join(' | ')}`).toBeGreaterThan(1);
    await expect(task.locator('.status')).toHaveText('Needs your answer');
    await expectAccessible(page, 'Tasks view with a question');
    await answerQuestion(c, 'well done');
    await expect(task).toHaveAttribute('data-status', 'completed', { timeout: 15_000 });
    await expect(task.locator('.outcome')).toHaveText('Task finished all 10 steps. Your note: well done');
    await tab(c, 'Tools').click();
    await expect(out).toHaveAttribute('data-state', 'ok');
    await expect(out).toContainText('Your note: well done');

    const requests = taskRequests(env);
    const taskId = await task.getAttribute('data-task');
    const update = requests.find((r) => r.method === 'tasks/update');
    expect(update).toMatchObject({ taskId, inputResponses: { continue: { action: 'accept', content: { note: 'well done' } } } });
    // The extension's routing header on every task request (SEP-2663, Streamable HTTP).
    expect(requests.length).toBeGreaterThan(2);
    for (const r of requests) expect(r.mcpName, `${r.method} Mcp-Name`).toBe(r.taskId);

    // Custody over a task: no access token in anything the page can read.
    const tokens = env.stack.mcp.authorizations.map((a: string) => a.split(' ')[1]).filter((t: string | undefined): t is string => !!t);
    expect(tokens.length).toBeGreaterThan(0);
    const readable = await fullDom(page);
    expect(readable).toContain(taskId!);
    for (const t of new Set(tokens)) expect(readable.includes(t), 'a token in what the page can read').toBe(false);

    await tab(c, 'Tasks').click();
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await expectAccessible(page, `Tasks view (${colorScheme})`);
    }
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width > 500 ? 800 : 844 });
      await expectNoSidewaysScroll(page, `Tasks view at ${width} px`);
      await page.screenshot({ path: test.info().outputPath(`tasks-${width}.png`), fullPage: true });
    }
  });

  test('a task is cancelled and the server sees tasks/cancel', async ({ page, env }) => {
    const c = await connectOn(page, env, PROTOCOL);
    await startTask(c, 30);
    await tab(c, 'Tasks').click();
    const task = newestTask(c);
    await expect(task).toHaveAttribute('data-status', 'working');
    const taskId = await task.getAttribute('data-task');
    await task.getByRole('button', { name: /^Cancel task long-task/ }).click();
    await expect(task).toHaveAttribute('data-status', 'cancelled');
    await expect(task.locator('.status')).toHaveText('Cancelled');
    expect(taskRequests(env).find((r) => r.method === 'tasks/cancel')).toMatchObject({ taskId, mcpName: taskId });
    // The call waiting in the Tools tab ends too.
    await tab(c, 'Tools').click();
    await expect(c.locator('output[data-tool-result="long-task"]')).toHaveAttribute('data-state', 'error');
  });

  test('a page closed during a task and opened again shows how it ended; nothing polls meanwhile', async ({ page, context, env }) => {
    const c = await connectOn(page, env, PROTOCOL);
    await startTask(c, 3);
    await tab(c, 'Tasks').click();
    const taskId = await newestTask(c).getAttribute('data-task');
    await expect.poll(() => taskRequests(env).filter((r) => r.method === 'tasks/get').length).toBeGreaterThan(0);
    await page.close();
    const closedAt = Date.now();
    // The task reaches its question on the server while no page is open; nobody polls.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(taskRequests(env).filter((r) => r.time > closedAt + 500)).toEqual([]);

    const again = await context.newPage();
    await again.goto(`${env.appUrl}?protocol=${PROTOCOL}`);
    await expectState(again, env.stack.mcp.url, 'connected');
    const c2 = card(again, env.stack.mcp.url);
    await tab(c2, 'Tasks').click();
    const task = c2.locator(`tasks-view li[data-task="${taskId}"]`);
    await expect(task).toBeVisible();
    await answerQuestion(c2, 'after reopening');
    await expect(task).toHaveAttribute('data-status', 'completed', { timeout: 15_000 });
    await expect(task.locator('.outcome')).toHaveText('Task finished all 10 steps. Your note: after reopening');
  });

  test('nothing polls while the page is hidden, and polling resumes when it shows', async ({ env, cspViolations }) => {
    // Playwright's own pages never turn hidden (support/hideable-page.ts): this one can.
    const own = await openHideablePage((v) => cspViolations.push(v));
    try {
      const { page } = own;
      const c = await connectOn(page, env, PROTOCOL);
      // The task runner's code is not loaded before a task exists.
      expect(await page.evaluate(() => performance.getEntriesByType('resource').some((e) => /\/task-runner-[\w-]+\.js$/.test(e.name)))).toBe(false);
      // 20 s: a poll every 2 s, the question at 10 s.
      const out = await startTask(c);
      const gets = () => taskRequests(env).filter((r) => r.method === 'tasks/get');
      await expect.poll(() => gets().length, { timeout: 10_000 }).toBeGreaterThan(0);
      await expect(out).toHaveText(/^Task working: /);

      await own.hide();
      const hiddenAt = Date.now();
      // Two poll intervals and more: a page still polling would have asked twice.
      await page.waitForTimeout(4_500);
      const late = gets().filter((r) => r.time > hiddenAt + 300);
      expect(late.map((r) => r.time - hiddenAt), 'tasks/get while the page was hidden (ms after hiding)').toEqual([]);

      await own.show();
      const shownAt = Date.now();
      await expect.poll(() => gets().filter((r) => r.time >= shownAt).length, { timeout: 5_000 }).toBeGreaterThan(0);
      // The Tools tab follows the task again.
      const before = await out.textContent();
      await expect.poll(() => out.textContent(), { timeout: 10_000 }).not.toBe(before);
      await expect(out).toHaveText(/^Task (working|input required): /);
    } finally {
      await own.close();
    }
  });

  test('over the real 20 s, tasks/get arrives at most 20 s / pollIntervalMs + 1 times', async ({ page, env }) => {
    test.setTimeout(90_000);
    const c = await connectOn(page, env, PROTOCOL);
    const out = await startTask(c);
    await answerQuestion(c, 'counting');
    await expect(out).toHaveAttribute('data-state', 'ok', { timeout: 40_000 });
    const requests = taskRequests(env);
    const created = env.stack.mcp.toolCalls.find((t: { name: string }) => t.name === 'long-task')!.time;
    const gets = requests.filter((r) => r.method === 'tasks/get');
    const pollIntervalMs = 2000; // the demo's pace for 20 s: 10 steps
    const within = gets.filter((r) => r.time - created <= 20_000);
    expect(within.length, `tasks/get at ${gets.map((r) => r.time - created).join(', ')} ms`).toBeLessThanOrEqual(20_000 / pollIntervalMs + 1);
    // Never faster than pollIntervalMs between two polls (a little clock slack).
    for (let i = 1; i < gets.length; i++) expect(gets[i]!.time - gets[i - 1]!.time).toBeGreaterThanOrEqual(pollIntervalMs - 50);
  });
});
