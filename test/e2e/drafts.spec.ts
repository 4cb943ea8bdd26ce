/**
 * What the person typed in a prompt's arguments and a resource template's variables comes back
 * after the authorization redirect (a step-up here), as tool arguments do (workbench-ux.spec.ts);
 * once got or read, it is no longer kept.
 */
import type { Locator } from '@playwright/test';
import { card, connect, expect, expectState, openEntry, openTool, tab, test } from './support/keyhole.ts';

const prompt = (c: Locator) => c.locator('section[data-prompt="summarize"]');
const template = (c: Locator) => c.locator('[data-template="demo://greeting/{name}"]');
const square = (c: Locator) => c.locator('[data-template="demo://square/{n}"]');

test('prompt arguments and template variables typed before a step-up come back after the authorization redirect', async ({ page, env }) => {
  const url = env.stack.mcp.url;
  await connect(page, env);
  const c = card(page, url);
  await tab(c, 'Prompts').click();
  await openEntry(c, 'Prompts', 'summarize');
  await prompt(c).getByLabel('text', { exact: true }).fill('A long text, typed before leaving.');
  await prompt(c).getByLabel('style', { exact: true }).fill('one sentence');
  await tab(c, 'Resources').click();
  await openEntry(c, 'Resources', 'demo://greeting/{name}');
  await template(c).getByLabel('name', { exact: true }).fill('Grace Hopper');
  await openEntry(c, 'Resources', 'demo://square/{n}');
  await square(c).getByLabel('n', { exact: true }).fill('12');

  // admin-report needs a scope the first authorization did not get: a step-up, through the AS.
  await tab(c, 'Tools').click();
  await (await openTool(c, 'admin-report')).getByRole('button', { name: 'Call admin-report', exact: true }).click();
  await expectState(page, url, 'needs-authorization');
  await c.getByRole('button', { name: 'Authorize' }).click();
  await expectState(page, url, 'connected');
  await expect(c.locator('output[data-tool-result="admin-report"]')).toHaveAttribute('data-state', 'ok');

  // A new page (the app came back from the authorization server): the values are there.
  await tab(c, 'Prompts').click();
  await openEntry(c, 'Prompts', 'summarize');
  await expect(prompt(c).getByLabel('text', { exact: true })).toHaveValue('A long text, typed before leaving.');
  await expect(prompt(c).getByLabel('style', { exact: true })).toHaveValue('one sentence');
  await tab(c, 'Resources').click();
  await openEntry(c, 'Resources', 'demo://greeting/{name}');
  await expect(template(c).getByLabel('name', { exact: true })).toHaveValue('Grace Hopper');
  await openEntry(c, 'Resources', 'demo://square/{n}');
  await expect(square(c).getByLabel('n', { exact: true })).toHaveValue('12');

  // Read and got: no longer unsent, so a reload starts from empty forms; the one not sent stays.
  await square(c).getByRole('button', { name: 'Read from square' }).click();
  await expect(c.locator('[data-resource-result="demo://square/12"]')).toContainText('12 squared is 144');
  await tab(c, 'Prompts').click();
  await openEntry(c, 'Prompts', 'summarize');
  await prompt(c).getByRole('button', { name: 'Get prompt summarize' }).click();
  await expect(c.locator('[data-prompt-result="summarize"]')).toContainText('(one sentence)');
  await page.reload();
  await expectState(page, url, 'connected');
  await tab(c, 'Prompts').click();
  await openEntry(c, 'Prompts', 'summarize');
  await expect(prompt(c).getByLabel('text', { exact: true })).toHaveValue('');
  await tab(c, 'Resources').click();
  await openEntry(c, 'Resources', 'demo://square/{n}');
  await expect(square(c).getByLabel('n', { exact: true })).toHaveValue('');
  await openEntry(c, 'Resources', 'demo://greeting/{name}');
  await expect(template(c).getByLabel('name', { exact: true })).toHaveValue('Grace Hopper');
});
