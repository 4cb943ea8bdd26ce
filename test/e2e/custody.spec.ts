/**
 * Custody: during a full run (connect, authorize, tools, step-up, reload, disconnect) no token,
 * refresh token, authorization code or PKCE verifier that the authorization server issued or
 * received ever reaches anything page code can see.
 */
import type { Page } from '@playwright/test';
import { card, connect, callTool, expect, expectState, test } from './support/keyhole.ts';

declare global {
  interface Window {
    __custody: { messages: string[] };
  }
}

/** Installed before any app code: records every message the page receives from the worker. */
function recordMessages(): void {
  const messages: string[] = [];
  window.__custody = { messages };
  const record = (data: unknown) => {
    try {
      messages.push(typeof data === 'string' ? data : JSON.stringify(data));
    } catch {
      messages.push(String(data));
    }
  };
  navigator.serviceWorker?.addEventListener('message', (e) => record(e.data));
  // workbox-window's messageSW answers through a MessageChannel port's onmessage.
  const desc = Object.getOwnPropertyDescriptor(MessagePort.prototype, 'onmessage')!;
  Object.defineProperty(MessagePort.prototype, 'onmessage', {
    ...desc,
    set(handler: ((e: MessageEvent) => void) | null) {
      desc.set!.call(this, handler ? (e: MessageEvent) => (record(e.data), handler.call(this, e)) : null);
    },
  });
}

/** The whole DOM, shadow roots included, as text a script could read. */
async function fullDom(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts: string[] = [];
    const walk = (root: Document | ShadowRoot | Element) => {
      if ('innerHTML' in root) parts.push((root as Element | ShadowRoot).innerHTML);
      else parts.push(root.documentElement.outerHTML);
      for (const el of Array.from(root.querySelectorAll('*'))) {
        if (el.shadowRoot) walk(el.shadowRoot);
        if (el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement) parts.push(el.value);
      }
    };
    walk(document);
    return parts.join('\n');
  });
}

async function pageStorage(page: Page): Promise<string> {
  return page.evaluate(() =>
    JSON.stringify({
      local: Object.entries(localStorage),
      session: Object.entries(sessionStorage),
      cookie: document.cookie,
      url: location.href,
      referrer: document.referrer,
      historyLength: history.length,
      navigation: performance.getEntriesByType('navigation').map((e) => e.name),
      resources: performance.getEntriesByType('resource').map((e) => e.name),
    }),
  );
}

test('no token, refresh token, code or verifier ever reaches page code', async ({ page, env }) => {
  const seen: { where: string; text: string }[] = [];
  const note = (where: string, text: string) => seen.push({ where, text });

  await page.addInitScript(recordMessages);
  page.on('console', (m) => note('console', m.text()));
  page.on('pageerror', (e) => note('pageerror', `${e.message}\n${e.stack ?? ''}`));
  page.on('framenavigated', (f) => note('committed URL', f.url()));
  const bodies: Promise<unknown>[] = [];
  page.on('response', (r) => {
    // What page code can read: answers to its own requests (fetch, scripts, including answers the
    // worker made up) and the documents it lands on. Redirect responses and other origins'
    // documents met during navigation (the authorization server's pages) are not readable by it.
    if (r.request().frame() !== page.mainFrame()) return;
    if (r.request().isNavigationRequest() && (r.status() >= 300 && r.status() < 400 || new URL(r.url()).origin !== env.appOrigin)) return;
    note('response headers', `${r.url()} ${JSON.stringify(r.headers())}`);
    bodies.push(
      r.text().then(
        (t) => note('response body', `${r.url()} ${t}`),
        () => {},
      ),
    );
  });
  const snapshot = async (label: string) => {
    note(`DOM ${label}`, await fullDom(page));
    note(`storage ${label}`, await pageStorage(page));
  };

  const url = env.stack.mcp.url;
  await connect(page, env, { keepSignedIn: true });
  await snapshot('after connect');
  await expect(await callTool(page, env, 'echo', { text: 'custody-canary' })).toHaveText('custody-canary');
  await snapshot('after a call');

  // Step-up: a second authorization and a second token.
  const item = card(page, url).locator('li[data-tool="admin-report"]');
  await item.getByRole('button', { name: 'Call admin-report', exact: true }).click();
  await expectState(page, url, 'needs-authorization');
  await snapshot('waiting for step-up');
  await card(page, url).getByRole('button', { name: 'Authorize' }).click();
  await expectState(page, url, 'connected');
  await expect(card(page, url).locator('output[data-tool-result="admin-report"]')).toHaveAttribute('data-state', 'ok');
  await snapshot('after step-up');

  await page.reload();
  await expectState(page, url, 'connected');
  await expect(await callTool(page, env, 'add', { a: 20, b: 22 })).toContainText('42');
  await snapshot('after reload');

  await card(page, url).getByRole('button', { name: 'Disconnect' }).click();
  await expectState(page, url, 'disconnected');
  await snapshot('after disconnect');
  note('cookies', JSON.stringify(await page.context().cookies()));
  note('worker messages', (await page.evaluate(() => window.__custody.messages)).join('\n'));
  await Promise.all(bodies);

  const secrets: string[] = env.stack.auth.secrets();
  const everything = seen.map((s) => s.text).join('\n');

  // The capture really captured: the tool results, the worker's messages, the MCP answers.
  expect(everything).toContain('custody-canary');
  expect(seen.find((s) => s.where === 'worker messages')?.text).toContain('keyhole:views');
  expect(seen.filter((s) => s.where === 'response body' && s.text.includes('custody-canary')).length).toBeGreaterThan(0);
  // Two authorizations: at least two codes, two verifiers, two access tokens, refresh tokens.
  expect(secrets.length).toBeGreaterThanOrEqual(6);
  for (const s of secrets) expect(s.length).toBeGreaterThanOrEqual(16);

  for (const secret of secrets) {
    const leak = seen.find((s) => s.text.includes(secret));
    expect(leak, `a secret issued or received by the authorization server showed up in: ${leak?.where}`).toBeUndefined();
  }
});
