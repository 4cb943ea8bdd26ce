/**
 * The workbench's MCP features driven through the UI as a person would, on both protocol
 * revisions, against the demo server with paginated lists (issue 5): generated tool forms,
 * results by content type, elicitation (form and URL), sampling, roots, logging, resources
 * (templates, binary, follow changes), list changes, and the protocol view.
 */
import type { Locator } from '@playwright/test';
import { expectAccessible } from './support/a11y.ts';
import { connectOn, expect, fillArguments, openEntry, openTool, tab, test, toolOption } from './support/keyhole.ts';

test.use({ pageSize: 2 });

async function call(c: Locator, name: string): Promise<Locator> {
  await (await openTool(c, name)).getByRole('button', { name: `Call ${name}`, exact: true }).click();
  return c.locator(`output[data-tool-result="${name}"]`);
}

async function finished(out: Locator): Promise<void> {
  await expect(out).not.toHaveAttribute('data-state', 'running', { timeout: 30_000 });
}

for (const protocol of ['2025-11-25', '2026-07-28'] as const) {
  test.describe(`on ${protocol}`, () => {
    test('tools: every page listed, a form generated from the schema, results by content type, errors as errors', async ({ page, env }) => {
      const c = await connectOn(page, env, protocol);
      // Lists come two at a time (pageSize 2): all of them are there, fetched page by page.
      for (const name of ['echo', 'add', 'slow-count', 'order-form', 'sample-content', 'failing-tool', 'log-burst']) {
        await expect(toolOption(c, name)).toHaveCount(1);
      }
      await tab(c, 'Protocol').click();
      const listings = c.locator('wire-view li[data-dir="out"][data-method="tools/list"]');
      expect(await listings.count()).toBeGreaterThan(2);
      await tab(c, 'Tools').click();

      const order = await openTool(c, 'order-form');
      // Defaults are filled in; a required field left empty stops the call with a message by it.
      await expect(order.getByLabel('quantity', { exact: true })).toHaveValue('1');
      await expect(order.getByLabel('size', { exact: true })).toHaveValue('medium');
      const out = await call(c, 'order-form');
      await expect(out).toHaveCount(0);
      await expect(order.getByLabel('customer', { exact: true })).toHaveAttribute('aria-invalid', 'true');
      await order.getByLabel('customer', { exact: true }).fill('Ada');
      await order.getByLabel('email', { exact: true }).fill('ada@example.com');
      await order.getByLabel('quantity', { exact: true }).fill('3');
      await order.getByLabel('size', { exact: true }).selectOption('large');
      await call(c, 'order-form');
      await finished(out);
      await expect(out).toHaveAttribute('data-state', 'ok');
      await expect(out).toContainText('Order for Ada: 3 x large');
      await expect(out.locator('[data-kind="structured"]')).toContainText('"customer": "Ada"');
      await expect(out.getByText('Output schema')).toBeVisible();

      const media = await call(c, 'sample-content');
      await finished(media);
      const img = media.locator('[data-kind="image"] img');
      await expect(img).toHaveAttribute('src', /^data:image\/png;base64,/);
      expect(await img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0)).toBe(true);
      await expect(media.locator('[data-kind="audio"] audio')).toHaveAttribute('src', /^data:audio\/wav;base64,/);
      await expect(media.locator('[data-kind="resource"]')).toContainText('Embedded text resource');
      // A resource link is read on request, in the Resources tab.
      await media.locator('[data-kind="resource_link"]').getByRole('button', { name: 'Read readme' }).click();
      await expect(tab(c, 'Resources')).toHaveAttribute('aria-selected', 'true');
      await expect(c.locator('[data-resource-result="demo://readme"]')).toContainText('# Keyhole demo MCP server');
      await tab(c, 'Tools').click();

      const failed = await call(c, 'failing-tool');
      await finished(failed);
      await expect(failed).toHaveAttribute('data-state', 'error');
      await expect(failed.locator('.error-label')).toHaveText('Error');
      await expect(failed).toContainText('The demo tool failed on purpose.');
    });

    test('elicitation in form and URL mode, sampling and roots: the person answers', async ({ page, env }) => {
      const c = await connectOn(page, env, protocol);
      const asked = await call(c, 'ask-name');
      const ask = c.locator('ask-view');
      await expect(ask).toContainText('The server asks for information');
      // Defaults of the requested schema are filled in (MCP SEP-1034).
      await expect(ask.getByLabel('mood', { exact: true })).toHaveValue('calm');
      await expectAccessible(page, `elicitation form on ${protocol}`);
      await ask.getByLabel('Name', { exact: true }).fill('Grace');
      await ask.getByRole('button', { name: 'Send' }).click();
      await finished(asked);
      await expect(asked).toContainText('Accepted');
      await expect(asked).toContainText('"name":"Grace"');
      await expect(asked).toContainText('"mood":"calm"');
      await expect(ask).toHaveCount(0);

      await call(c, 'ask-name');
      await c.locator('ask-view').getByRole('button', { name: 'Decline' }).click();
      await finished(asked);
      await expect(asked).toContainText('Declined');

      const link = await call(c, 'open-link');
      const urlAsk = c.locator('ask-view');
      await expect(urlAsk.locator('[data-url]')).toHaveText('https://example.com/keyhole-demo-consent');
      await expect(urlAsk.getByRole('button', { name: 'Open example.com' })).toBeVisible();
      await expectAccessible(page, `URL elicitation on ${protocol}`);
      await urlAsk.getByRole('button', { name: 'Decline' }).click();
      await finished(link);
      await expect(link).toContainText('URL elicitation: decline');

      const sampled = await openTool(c, 'ask-model');
      await fillArguments(sampled, 'ask-model', { question: 'What is 2 + 2?' });
      const answer = await call(c, 'ask-model');
      const sample = c.locator('ask-view');
      await expect(sample).toContainText('What is 2 + 2?');
      await expectAccessible(page, `sampling request on ${protocol}`);
      await sample.getByLabel('Your answer').fill('Four.');
      await sample.getByRole('button', { name: 'Send answer' }).click();
      await finished(answer);
      await expect(answer).toContainText('The model said: Four.');

      await tab(c, 'Roots').click();
      await c.getByLabel('Root URI').fill('https://not-a-file.example/');
      await c.getByRole('button', { name: 'Add root' }).click();
      await expect(c.locator('roots-editor [role="alert"]')).toContainText('file://');
      await c.getByLabel('Root URI').fill('file:///home/grace/project');
      await c.getByLabel('Name (optional)').fill('project');
      await c.getByRole('button', { name: 'Add root' }).click();
      await tab(c, 'Tools').click();
      const roots = await call(c, 'list-roots');
      await finished(roots);
      await expect(roots).toContainText('file:///home/grace/project (project)');
    });

    test('logging with a level filter, resources followed, templates, binary content, list changes', async ({ page, env }) => {
      const c = await connectOn(page, env, protocol);
      const burst = await call(c, 'log-burst');
      await finished(burst);
      await tab(c, 'Log').click();
      const log = c.locator('log-view');
      await expect(log.locator('li[data-level]')).toHaveCount(5);
      await log.getByLabel('Show from level').selectOption('warning');
      await expect(log.locator('li[data-level]')).toHaveCount(2);
      await expect(log.locator('li[data-level="error"]')).toContainText('log at error');

      await tab(c, 'Resources').click();
      await openEntry(c, 'Resources', 'demo://counter');
      const counter = c.locator('[data-resource="demo://counter"]');
      await counter.getByRole('button', { name: 'Read counter' }).click();
      const value = c.locator('[data-resource-result="demo://counter"]');
      await expect(value).toHaveAttribute('data-state', 'ok');
      const before = Number(await value.locator('pre.text').innerText());
      expect(before).toBeGreaterThanOrEqual(0);
      await counter.getByRole('button', { name: 'Follow counter' }).click();
      await expect(counter.getByRole('button', { name: 'Stop following counter' })).toBeVisible();
      await tab(c, 'Tools').click();
      await finished(await call(c, 'bump-counter'));
      await tab(c, 'Resources').click();
      // The server's notification made the open read refresh by itself.
      await expect(value.locator('[data-updated]')).toBeVisible();
      await expect(value.locator('pre.text')).toHaveText(String(before + 1));

      await openEntry(c, 'Resources', 'demo://greeting/{name}');
      const template = c.locator('[data-template="demo://greeting/{name}"]');
      await template.getByLabel('name', { exact: true }).fill('Ada Lovelace');
      await template.getByRole('button', { name: 'Read from greeting' }).click();
      await expect(c.locator('[data-resource-result="demo://greeting/Ada%20Lovelace"]')).toContainText('Hello, Ada Lovelace!');

      await openEntry(c, 'Resources', 'demo://logo.png');
      await c.locator('[data-resource="demo://logo.png"]').getByRole('button', { name: 'Read logo' }).click();
      const logo = c.locator('[data-resource-result="demo://logo.png"]');
      await expect(logo.locator('img')).toHaveAttribute('src', /^data:image\/png;base64,/);
      const download = page.waitForEvent('download');
      await logo.getByRole('button', { name: 'Download logo.png' }).click();
      expect((await download).suggestedFilename()).toBe('logo.png');

      await tab(c, 'Tools').click();
      await expect(toolOption(c, 'extra')).toHaveCount(0);
      await finished(await call(c, 'toggle-extra-tool'));
      // tools/list_changed: the list is fetched again and the new tool shows.
      await expect(toolOption(c, 'extra')).toHaveCount(1);
    });

    test('the protocol view shows every message with timing, filters and copies, and never a credential', async ({ page, env, context }) => {
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      const c = await connectOn(page, env, protocol);
      const out = await openTool(c, 'echo');
      await fillArguments(out, 'echo', { text: 'seen on the wire' });
      await call(c, 'echo');
      await finished(c.locator('output[data-tool-result="echo"]'));
      await tab(c, 'Protocol').click();
      const wire = c.locator('wire-view');
      const sent = wire.locator('li[data-dir="out"][data-method="tools/call"]');
      const got = wire.locator('li[data-dir="in"][data-kind="response"][data-method="tools/call"]');
      await expect(sent).toHaveCount(1);
      await expect(got).toHaveCount(1);
      await expect(got.locator('.ms')).toHaveText(/^\d+ ms$/);
      await wire.getByLabel('Contains').fill('seen on the wire');
      await expect(wire.locator('li')).toHaveCount(2);
      await wire.getByRole('button', { name: 'Copy shown' }).click();
      const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText())) as unknown[];
      expect(copied).toHaveLength(2);
      // The page never had a token, so the wire record has none: not even the word.
      const all = await wire.evaluate((el) => JSON.stringify((el as unknown as { log: { entries: unknown[] } }).log.entries));
      for (const header of env.stack.mcp.authorizations) expect(all).not.toContain(header.replace(/^(Bearer|DPoP) /i, ''));
      expect(all).not.toMatch(/authorization|access_token/i);
    });
  });
}
