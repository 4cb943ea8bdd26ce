// `npm run screenshots`: the README's pictures, made from the built app against the demo stack in
// headless Chromium, so they are remade whenever the UI changes (never drawn by hand).
//
//   docs/screenshots/workbench.png   the connected workbench, 1440×900, light
//   docs/screenshots/timeline.png    the authorization timeline with a document open, 1280×800
//   docs/screenshots/phone.png       the phone layout, 390×844
//
// `--all` also writes a screen of each tab at laptop and phone widths in both themes to
// test-results/screens/, for looking at a change before calling it done.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startDemoStack } from '../demo/stack.mjs';
import { CHROMIUM_ARGS, findChromium } from './find-chromium.mjs';
import { serveStatic } from './static-server.mjs';

const all = process.argv.includes('--all');
const OUT = 'docs/screenshots';
const SCREENS = 'test-results/screens';
mkdirSync(OUT, { recursive: true });
if (all) mkdirSync(SCREENS, { recursive: true });

const app = await serveStatic({ root: process.env.KEYHOLE_DIST ?? 'dist', port: 0 });
const stack = await startDemoStack({ appOrigins: [app.origin], autoApprove: true, pageSize: 5 });
const browser = await chromium.launch({ executablePath: await findChromium(), args: CHROMIUM_ARGS });

/** A fresh profile at one size and theme, connected to the demo server through the UI. */
async function connected({ width, height, colorScheme = 'light', authorize = true }) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme });
  const page = await context.newPage();
  await page.goto(app.url);
  await page.getByLabel('MCP server URL').fill(stack.mcp.url);
  await page.locator('details.add').getByRole('button', { name: 'Connect', exact: true }).click();
  const card = page.locator(`server-card[data-server-url="${stack.mcp.url}"]`);
  await card.getByRole('button', { name: 'Authorize' }).waitFor();
  if (authorize) {
    await card.getByRole('button', { name: 'Authorize' }).click();
    await card.getByRole('listbox', { name: 'Tools' }).waitFor();
  }
  return { context, page, card };
}

/** Opens a tool and calls it with JSON arguments, waiting for the result. */
async function call(card, name, args) {
  await card.getByRole('listbox', { name: 'Tools' }).locator(`[role="option"][data-key="${name}"]`).click();
  const detail = card.locator(`section[data-tool="${name}"]`);
  if (args) {
    await detail.getByRole('button', { name: 'JSON', exact: true }).click();
    await detail.getByLabel(`Arguments for ${name} (JSON)`, { exact: true }).fill(JSON.stringify(args));
  }
  await detail.getByRole('button', { name: `Call ${name}`, exact: true }).click();
  await card.locator(`output[data-tool-result="${name}"]:not([data-state="running"])`).waitFor();
}

try {
  {
    const { context, page, card } = await connected({ width: 1440, height: 900 });
    await call(card, 'order-form', { customer: 'Ada', email: 'ada@example.com', quantity: 2, size: 'large', giftWrap: true });
    await page.screenshot({ path: join(OUT, 'workbench.png') });
    await context.close();
  }
  {
    const { context, page, card } = await connected({ width: 1280, height: 800, authorize: false });
    await card.getByText(/Authorization timeline/).click();
    await card.locator('timeline-view details.doc summary').first().click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(OUT, 'timeline.png') });
    await context.close();
  }
  {
    const { context, page, card } = await connected({ width: 390, height: 844 });
    await call(card, 'echo', { text: 'Hello from a phone' });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(OUT, 'phone.png') });
    await context.close();
  }
  if (all) {
    for (const [width, height] of [[1280, 800], [390, 844]]) {
      for (const colorScheme of ['light', 'dark']) {
        const { context, page, card } = await connected({ width, height, colorScheme });
        await call(card, 'add', { a: 40, b: 2 });
        for (const tab of ['Tools', 'Tasks', 'Resources', 'Prompts', 'History', 'Log', 'Protocol', 'Roots']) {
          await card.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
          await page.screenshot({ path: join(SCREENS, `${width}-${colorScheme}-${tab.toLowerCase()}.png`), fullPage: true });
        }
        await context.close();
      }
    }
  }
  console.log(`screenshots written to ${OUT}/${all ? ` and ${SCREENS}/` : ''}`);
} finally {
  await browser.close();
  await stack.close();
  await app.close();
}
