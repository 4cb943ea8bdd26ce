/**
 * Long streams through the worker (issue 6). Chromium ends a service worker fetch event whose
 * answer has not begun within 5 minutes; once begun, a body may stream on. Measured here, side
 * by side: a call streaming one progress event a second for 5 min 20 s arrives whole (first
 * measured on Chromium 156: 360 s, unbroken), and so does an idle one, silent for 5 min 30 s
 * before the server answers JSON. That one failed with a network error ("Failed to fetch")
 * until the worker began an event stream of its own in time (src/sw/late-answer.ts).
 */
import { card, connect, expect, test, fillArguments, openTool } from './support/keyhole.ts';

const STEPS = 320;

test(`tool calls through the worker, one streaming progress for ${STEPS} s and one idle for 330 s, arrive whole past 5 minutes`, async ({ page, env }) => {
  test.setTimeout((STEPS + 150) * 1000);
  await connect(page, env);
  const url = env.stack.mcp.url;
  // The idle one: a raw request through the worker, silent until its answer.
  await page.evaluate((u) => {
    (window as unknown as { idle: Promise<string> }).idle = fetch(u, {
      method: 'POST',
      // The standard headers of the 2026-07-28 revision, beside its per-request envelope below.
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': 'slow-count',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'slow-count',
          arguments: { steps: 1, delayMs: 330_000 },
          // The per-request envelope of the 2026-07-28 revision.
          _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} },
        },
      }),
    })
      .then(async (r) => `${r.status} ${await r.text()}`)
      .catch((e: Error) => `failed: ${e.message}`);
  }, url);
  const item = await openTool(card(page, url), 'slow-count');
  await fillArguments(item, 'slow-count', { steps: STEPS, delayMs: 1000 });
  await item.getByRole('button', { name: 'Call slow-count', exact: true }).click();
  const out = card(page, url).locator('output[data-tool-result="slow-count"]');
  await expect(out).toHaveAttribute('data-state', 'running');
  await expect(out).not.toHaveAttribute('data-state', 'running', { timeout: (STEPS + 60) * 1000 });
  await expect(out).toHaveAttribute('data-state', 'ok');
  await expect(out).toHaveText(`Counted to ${STEPS}`);
  await expect(card(page, url)).toHaveAttribute('data-state', 'connected');
  await expect(card(page, url).getByRole('alert')).toHaveCount(0);

  const idle = await page.evaluate(() => (window as unknown as { idle: Promise<string> }).idle);
  expect(idle).toMatch(/^200 /);
  expect(idle).toContain('Counted to 1');
  expect(idle).not.toContain('"error"');
});
