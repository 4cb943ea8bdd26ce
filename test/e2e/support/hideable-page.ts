/**
 * A page whose `document.visibilityState` really turns 'hidden' in headless Chromium, for tests
 * of what the app does while nobody looks at it.
 *
 * Playwright keeps every page it drives visible: it turns on DevTools focus emulation on each
 * page, which holds the page's WebContents as if captured (shown) whatever happens to its tab.
 * So this starts a Chromium of its own (a fresh profile, its DevTools port) and attaches with
 * `connectOverCDP(…, { noDefaults: true })`, which leaves the browser's default context without
 * that emulation. Another tab of the same window brought to the front then hides the page, for
 * real: Chromium fires `visibilitychange`. Timers of the hidden page are not throttled
 * (`--disable-background-timer-throttling`, as Playwright's own browsers run), so a page that kept
 * polling while hidden would be seen doing so at its own pace.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../../../scripts/find-chromium.mjs';

export interface HideablePage {
  page: Page;
  context: BrowserContext;
  /** Brings another tab of the window to the front: the page is hidden. */
  hide(): Promise<void>;
  /** Brings the page back to the front: it is visible again. */
  show(): Promise<void>;
  close(): Promise<void>;
}

/** `onViolation` receives each CSP or Trusted Types violation the page reports (as guard.ts does for Playwright's pages). */
export async function openHideablePage(onViolation: (text: string) => void): Promise<HideablePage> {
  const executable = await findChromium();
  if (!executable) throw new Error('No Chromium executable for a page of its own (set CHROME_PATH).');
  const profile = mkdtempSync(join(tmpdir(), 'keyhole-hideable-'));
  const proc: ChildProcess = spawn(executable, ['--headless', ...CHROMIUM_ARGS, '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its own process group, so that stop() ends its helper processes too: the network service
    // writes into the profile as it shuts down, after the browser process itself has gone.
    detached: true,
  });
  let browser: Browser | undefined;
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new Error(`Chromium gave no DevTools endpoint:\n${text}`)), 20_000);
      proc.stderr!.on('data', (chunk: Buffer) => {
        text += String(chunk);
        const found = /DevTools listening on (ws:\S+)/.exec(text);
        if (found) {
          clearTimeout(timer);
          resolve(found[1]!);
        }
      });
      proc.once('exit', (code) => reject(new Error(`Chromium exited (${code}):\n${text}`)));
    });
    browser = await chromium.connectOverCDP(endpoint, { noDefaults: true });
    const context = browser.contexts()[0]!;
    await context.exposeBinding('__keyholeReportViolation', (_source, text: string) => onViolation(text));
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { __keyholeReportViolation?: (t: string) => void }).__keyholeReportViolation?.(
          `${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber} on ${location.href}: ${e.sample}`,
        );
      });
    });
    const page = context.pages()[0] ?? (await context.newPage());
    let other: Page | undefined;
    const connected = browser;
    return {
      page,
      context,
      async hide() {
        other ??= await context.newPage();
        await other.bringToFront();
        await page.waitForFunction(() => document.visibilityState === 'hidden');
      },
      async show() {
        await page.bringToFront();
        await page.waitForFunction(() => document.visibilityState === 'visible');
      },
      async close() {
        await connected.close().catch(() => {});
        await stop(proc, profile);
      },
    };
  } catch (err) {
    await browser?.close().catch(() => {});
    await stop(proc, profile);
    throw err;
  }
}

/**
 * Ends Chromium with all its processes and removes its profile once they are gone (they write
 * there until then). A profile that still cannot be removed is left in the temporary directory:
 * said, not failed (it is not what any test checks).
 */
async function stop(proc: ChildProcess, profile: string): Promise<void> {
  const group = (signal: NodeJS.Signals) => {
    try {
      process.kill(-proc.pid!, signal);
    } catch {
      // The group is gone already.
    }
  };
  if (proc.exitCode === null && proc.signalCode === null) {
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    group('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  }
  // What is left of the group (helpers still shutting down, or a browser that did not) ends now.
  group('SIGKILL');
  await new Promise((resolve) => setTimeout(resolve, 200));
  try {
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  } catch (err) {
    console.warn(`warning: the hideable page's Chromium profile ${profile} was left behind: ${(err as Error).message}`);
  }
}
