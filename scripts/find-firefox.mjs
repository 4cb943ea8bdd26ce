// Where the cross-browser suite finds Firefox: FIREFOX_PATH, then Debian's firefox-esr. Driven by
// puppeteer-core over WebDriver BiDi, so no geckodriver is needed.
import { existsSync } from 'node:fs';

export const FIREFOX_INSTALL_HINT =
  'No Firefox found. Install one of:\n' +
  '  - Debian/Ubuntu: sudo apt-get install -y firefox-esr   (gives /usr/bin/firefox-esr)\n' +
  '  - any Firefox 129 or newer (WebDriver BiDi), then set FIREFOX_PATH=/path/to/firefox';

/** @returns {string} the Firefox executable; throws with what to install when there is none */
export function findFirefox() {
  const fromEnv = process.env.FIREFOX_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`FIREFOX_PATH is set to ${fromEnv}, which does not exist.\n${FIREFOX_INSTALL_HINT}`);
    return fromEnv;
  }
  for (const path of ['/usr/bin/firefox-esr', '/usr/bin/firefox']) if (existsSync(path)) return path;
  throw new Error(FIREFOX_INSTALL_HINT);
}
