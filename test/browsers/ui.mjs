// The person's gestures on top of a driver: wait for, click, type, read, by deep selector steps
// (see page.mjs). Everything polls, since a click may start a navigation and the page under the
// driver changes.
import { describeElement, fillElement, findElement } from './page.mjs';

const POLL_MS = 100;

/**
 * Polls `probe` until it returns a truthy value; errors while the page navigates count as "not yet".
 * @template T
 * @param {() => Promise<T>} probe
 * @param {string} what said in the error on timeout
 */
export async function waitUntil(probe, what, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
      last = v;
    } catch (err) {
      last = /** @type {Error} */ (err).message.split('\n')[0];
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** @param {import('./drivers/types.mjs').Scope} d the tab's document, or a frame's (Driver.frame) */
export function ui(d) {
  /** @param {string[]} steps */
  const describe = (steps) => d.run(describeElement, steps);
  const api = {
    describe,
    /** @param {string[]} steps */
    async waitFor(steps, timeoutMs = 20_000) {
      return waitUntil(async () => ((await describe(steps)).found ? describe(steps) : undefined), steps.join(' » '), timeoutMs);
    },
    /** @param {string[]} steps */
    async click(steps, timeoutMs = 20_000) {
      await api.waitFor(steps, timeoutMs);
      await d.clickFound(findElement, steps);
    },
    /** @param {string[]} steps @param {string} value */
    async fill(steps, value) {
      await api.waitFor(steps);
      if (!(await d.run(fillElement, steps, value))) throw new Error(`nothing to fill at ${steps.join(' » ')}`);
    },
    /** @param {string[]} steps */
    async text(steps) {
      return (await api.waitFor(steps)).text ?? '';
    },
    /** @param {string[]} steps @param {string} name */
    async attr(steps, name) {
      const e = await describe(steps);
      return e.found ? e.attrs?.[name] : undefined;
    },
    /** Waits until the tab's URL satisfies `ok`. @param {(url: string) => boolean} ok @param {string} what */
    async waitForUrl(ok, what, timeoutMs = 20_000) {
      return waitUntil(async () => ((await d.url()).length && ok(await d.url()) ? d.url() : undefined), what, timeoutMs);
    },
  };
  return api;
}

/** The keyhole card of one server. @param {string} serverUrl */
export const cardOf = (serverUrl) => `server-card[data-server-url="${serverUrl}"]`;

/** @param {ReturnType<typeof ui>} u @param {string} serverUrl @param {string} state */
export async function waitForState(u, serverUrl, state, timeoutMs = 20_000) {
  await waitUntil(async () => (await u.attr([cardOf(serverUrl)], 'data-state')) === state, `the card's state "${state}"`, timeoutMs).catch(async (err) => {
    const now = await u.describe([cardOf(serverUrl)]).catch(() => ({ found: false }));
    const status = await u.describe([cardOf(serverUrl), '[role=status]']).catch(() => ({ found: false }));
    throw new Error(`${err.message}; the card: ${now.found ? `state ${now.attrs?.['data-state']}` : 'absent'}${status.found ? `, status "${status.text}"` : ''}`);
  });
}
