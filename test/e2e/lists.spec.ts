/**
 * Prompts and resources as list and detail, and argument completion (MCP completion/complete),
 * on both protocol revisions against the demo server: the filter narrows the list, the keyboard
 * opens an entry, only the open entry's form is drawn, what was typed is kept while switching;
 * prompt arguments and template variables offer the server's suggestions (combobox), quick
 * typing sends at most two requests, and the open suggestions pass axe-core in both themes.
 */
import type { Locator } from '@playwright/test';
import { expectAccessible, expectNoSidewaysScroll } from './support/a11y.ts';
import { connectOn, expect, tab, test, type Env } from './support/keyhole.ts';

function list(c: Locator, name: 'Prompts' | 'Resources'): Locator {
  return c.getByRole('listbox', { name, exact: true });
}

function entry(c: Locator, name: 'Prompts' | 'Resources', key: string): Locator {
  return list(c, name).locator(`[role="option"][data-key="${key}"]`);
}

/** completion/complete requests the demo server received so far. */
function completionRequests(env: Env): number {
  return env.stack.mcp.requests.filter((r) => r.mcpMethod?.split(',').includes('completion/complete')).length;
}

for (const protocol of ['2025-11-25', '2026-07-28'] as const) {
  test.describe(`on ${protocol}`, () => {
    test('prompts: a filterable list, the open prompt’s form only, kept while switching', async ({ page, env }) => {
      const c = await connectOn(page, env, protocol);
      await tab(c, 'Prompts').click();
      const panel = c.locator('prompts-panel');
      // The first prompt is open on first show; it is the only form drawn.
      await expect(entry(c, 'Prompts', 'greet')).toHaveAttribute('aria-selected', 'true');
      await expect(panel.locator('[data-prompt]')).toHaveCount(1);
      await expect(panel.locator('[data-prompt="greet"]')).toBeVisible();
      await expect(panel.locator('form')).toHaveCount(1);
      await expect(list(c, 'Prompts').getByRole('option')).toHaveCount(3);

      // The filter narrows the list (by name, title or description).
      const filter = c.getByRole('searchbox', { name: 'Filter prompts' });
      await filter.fill('translate');
      await expect(list(c, 'Prompts').getByRole('option')).toHaveCount(1);
      await filter.press('Escape');
      await expect(list(c, 'Prompts').getByRole('option')).toHaveCount(3);

      // Arrow keys move through the list, Enter opens.
      await filter.press('ArrowDown');
      await expect(entry(c, 'Prompts', 'greet')).toBeFocused();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await expect(entry(c, 'Prompts', 'translate')).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(panel.locator('[data-prompt="translate"]')).toBeVisible();
      await expect(panel.locator('[data-prompt]')).toHaveCount(1);
      await expect(panel.locator('form')).toHaveCount(1);
      await expect(panel.getByRole('form', { name: 'Arguments for prompt translate' })).toBeVisible();

      // What was typed and got stays with its prompt.
      const translate = panel.locator('[data-prompt="translate"]');
      await translate.getByLabel('text', { exact: true }).fill('Bonjour');
      await translate.getByRole('button', { name: 'Get prompt translate' }).click();
      await expect(panel.locator('[data-prompt-result="translate"]')).toHaveAttribute('data-state', 'ok');
      await entry(c, 'Prompts', 'greet').click();
      await expect(panel.locator('[data-prompt="greet"]')).toBeVisible();
      await expect(panel.locator('[data-prompt-result]')).toHaveCount(0);
      await entry(c, 'Prompts', 'translate').click();
      await expect(translate.getByLabel('text', { exact: true })).toHaveValue('Bonjour');
      await expect(panel.locator('[data-prompt-result="translate"]')).toContainText('Translate into English:');
    });

    test('resources: resources and templates in one list, the open one’s detail only', async ({ page, env }) => {
      const c = await connectOn(page, env, protocol);
      await tab(c, 'Resources').click();
      const panel = c.locator('resources-panel');
      const details = panel.locator('[data-resource], [data-template]');
      // The first resource is open; templates are listed with a badge.
      await expect(entry(c, 'Resources', 'demo://readme')).toHaveAttribute('aria-selected', 'true');
      await expect(details).toHaveCount(1);
      await expect(entry(c, 'Resources', 'demo://greeting/{name}')).toContainText('template');

      const filter = c.getByRole('searchbox', { name: 'Filter resources' });
      await filter.fill('greeting');
      await expect(list(c, 'Resources').getByRole('option')).toHaveCount(1);
      await filter.press('ArrowDown');
      await page.keyboard.press('Enter');
      const template = panel.locator('[data-template="demo://greeting/{name}"]');
      await expect(template).toBeVisible();
      await expect(details).toHaveCount(1);
      await expect(panel.locator('form')).toHaveCount(1);
      await template.getByLabel('name', { exact: true }).fill('Grace');
      await template.getByRole('button', { name: 'Read from greeting' }).click();
      await expect(panel.locator('[data-resource-result="demo://greeting/Grace"]')).toContainText('Hello, Grace!');

      await filter.fill('');
      await entry(c, 'Resources', 'demo://counter').click();
      const counter = panel.locator('[data-resource="demo://counter"]');
      await expect(counter).toBeVisible();
      await expect(details).toHaveCount(1);
      await counter.getByRole('button', { name: 'Read counter' }).click();
      await expect(panel.locator('[data-resource-result="demo://counter"]')).toHaveAttribute('data-state', 'ok');
      // Back on the template: its variable and its read are still there.
      await entry(c, 'Resources', 'demo://greeting/{name}').click();
      await expect(template.getByLabel('name', { exact: true })).toHaveValue('Grace');
      await expect(panel.locator('[data-resource-result="demo://greeting/Grace"]')).toContainText('Hello, Grace!');
    });

    test('completions: prompt arguments and template variables offer the server’s suggestions', async ({ page, env }) => {
      const c = await connectOn(page, env, protocol);
      await tab(c, 'Prompts').click();
      await entry(c, 'Prompts', 'translate').click();
      const translate = c.locator('[data-prompt="translate"]');
      await translate.getByLabel('text', { exact: true }).fill('Bonjour');
      const language = translate.getByRole('combobox', { name: 'language' });
      await expect(language).toHaveAttribute('aria-expanded', 'false');
      await language.pressSequentially('fr');
      const suggestions = translate.getByRole('listbox', { name: 'Suggestions for language' });
      await expect(suggestions.getByRole('option', { name: 'French' })).toBeVisible();
      await expect(language).toHaveAttribute('aria-expanded', 'true');
      // The request named the prompt and carried the other filled-in argument as context.
      const sent = await c.locator('wire-view').evaluate((el) =>
        (el as unknown as { log: { entries: { dir: string; method?: string; message: { params?: unknown } }[] } }).log.entries
          .filter((e) => e.dir === 'out' && e.method === 'completion/complete')
          .map((e) => e.message.params),
      );
      expect(sent.at(-1)).toMatchObject({
        ref: { type: 'ref/prompt', name: 'translate' },
        argument: { name: 'language', value: 'fr' },
        context: { arguments: { text: 'Bonjour' } },
      });

      // axe-core with the suggestions open, in both themes.
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await expect(suggestions).toBeVisible();
        await expectAccessible(page, `Prompts tab, suggestions open, ${colorScheme}`);
      }

      // Arrow keys and Enter take a suggestion (Enter does not submit the form).
      await language.press('ArrowDown');
      await expect(language).toHaveAttribute('aria-activedescendant', /.+/);
      const beforePick = completionRequests(env);
      await language.press('Enter');
      await expect(language).toHaveValue('French');
      await expect(language).toHaveAttribute('aria-expanded', 'false');
      // A pick asks nothing more, so the list stays closed.
      await page.waitForTimeout(600);
      expect(completionRequests(env)).toBe(beforePick);
      await expect(language).toHaveAttribute('aria-expanded', 'false');
      await expect(c.locator('[data-prompt-result="translate"]')).toHaveCount(0);
      await translate.getByRole('button', { name: 'Get prompt translate' }).click();
      await expect(c.locator('[data-prompt-result="translate"]')).toContainText('Translate into French:');

      // Escape closes the list.
      await language.fill('');
      await language.pressSequentially('g');
      await expect(suggestions.getByRole('option', { name: 'German' })).toBeVisible();
      await language.press('Escape');
      await expect(language).toHaveAttribute('aria-expanded', 'false');
      await expect(suggestions).toBeHidden();

      // Quick typing: at most two requests reach the server.
      await entry(c, 'Prompts', 'greet').click();
      const name = c.locator('[data-prompt="greet"]').getByRole('combobox', { name: 'name' });
      const before = completionRequests(env);
      await name.pressSequentially('Grace', { delay: 20 });
      const greetSuggestions = c.getByRole('listbox', { name: 'Suggestions for name' });
      await expect(greetSuggestions.getByRole('option', { name: 'Grace' })).toBeVisible();
      await page.waitForTimeout(600);
      const made = completionRequests(env) - before;
      expect(made).toBeGreaterThanOrEqual(1);
      expect(made).toBeLessThanOrEqual(2);
      // A click takes a suggestion.
      await greetSuggestions.getByRole('option', { name: 'Grace' }).click();
      await expect(name).toHaveValue('Grace');

      // A template variable offers names; the read uses the one picked.
      await tab(c, 'Resources').click();
      await entry(c, 'Resources', 'demo://greeting/{name}').click();
      const template = c.locator('[data-template="demo://greeting/{name}"]');
      const variable = template.getByRole('combobox', { name: 'name' });
      await variable.pressSequentially('A');
      const names = template.getByRole('listbox', { name: 'Suggestions for name' });
      await expect(names.getByRole('option', { name: 'Ada' })).toBeVisible();
      await expect(names.getByRole('option', { name: 'Alan' })).toBeVisible();
      await names.getByRole('option', { name: 'Ada' }).click();
      await expect(variable).toHaveValue('Ada');
      await template.getByRole('button', { name: 'Read from greeting' }).click();
      await expect(c.locator('[data-resource-result="demo://greeting/Ada"]')).toContainText('Hello, Ada!');
      await expectNoSidewaysScroll(page, 'Resources tab');
    });
  });
}
