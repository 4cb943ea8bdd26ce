// Where the tests find Chromium: CHROME_PATH, then Debian's /usr/bin/chromium, then a browser
// Playwright installed itself. One place, used by the e2e tests, the conformance driver and the bench.
import { existsSync } from 'node:fs';

export const INSTALL_HINT =
  'No Chromium found. Install one of:\n' +
  '  - Debian/Ubuntu: sudo apt-get install -y chromium   (gives /usr/bin/chromium)\n' +
  '  - any Chromium or Chrome, then set CHROME_PATH=/path/to/chrome\n' +
  '  - Playwright’s own build: npx playwright install chromium';

/** @returns {string | undefined} an executable path, or undefined to let Playwright use its own browser */
export async function findChromium() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROME_PATH is set to ${fromEnv}, which does not exist.\n${INSTALL_HINT}`);
    return fromEnv;
  }
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  const { chromium } = await import('playwright-core');
  const own = chromium.executablePath();
  if (own && existsSync(own)) return own;
  throw new Error(INSTALL_HINT);
}

/** Flags for a headless Chromium on a machine with no outside network (see the env notes in the README). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
