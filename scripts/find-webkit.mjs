// Where the cross-browser suite finds WebKitGTK: its WebDriver (WEBKIT_DRIVER_PATH, then Debian's
// /usr/bin/WebKitWebDriver), the MiniBrowser it drives (WEBKIT_BROWSER_PATH, then Debian's), and
// xvfb-run, since MiniBrowser has no headless mode.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export const WEBKIT_INSTALL_HINT =
  'No WebKitGTK WebDriver found. Install:\n' +
  '  - Debian/Ubuntu: sudo apt-get install -y webkit2gtk-driver xvfb xauth   (gives /usr/bin/WebKitWebDriver and MiniBrowser)\n' +
  '  - or set WEBKIT_DRIVER_PATH=/path/to/WebKitWebDriver and WEBKIT_BROWSER_PATH=/path/to/MiniBrowser';

const MINIBROWSER = [
  '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
  '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
  '/usr/lib/x86_64-linux-gnu/webkitgtk-6.0/MiniBrowser',
  '/usr/lib/aarch64-linux-gnu/webkitgtk-6.0/MiniBrowser',
  '/usr/libexec/webkit2gtk-4.1/MiniBrowser',
];

function onPath(name) {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** @returns {{ driver: string, browser: string, xvfbRun: string | undefined }} throws with what to install when something is missing */
export function findWebKit() {
  const fromEnv = process.env.WEBKIT_DRIVER_PATH;
  if (fromEnv && !existsSync(fromEnv)) throw new Error(`WEBKIT_DRIVER_PATH is set to ${fromEnv}, which does not exist.\n${WEBKIT_INSTALL_HINT}`);
  const driver = fromEnv || (existsSync('/usr/bin/WebKitWebDriver') ? '/usr/bin/WebKitWebDriver' : undefined);
  if (!driver) throw new Error(WEBKIT_INSTALL_HINT);
  const browserEnv = process.env.WEBKIT_BROWSER_PATH;
  if (browserEnv && !existsSync(browserEnv)) throw new Error(`WEBKIT_BROWSER_PATH is set to ${browserEnv}, which does not exist.\n${WEBKIT_INSTALL_HINT}`);
  const browser = browserEnv || MINIBROWSER.find((p) => existsSync(p));
  if (!browser) throw new Error(`WebKitWebDriver is at ${driver}, but no MiniBrowser was found.\n${WEBKIT_INSTALL_HINT}`);
  // With a display already there (a desktop session), no virtual one is needed.
  const xvfbRun = onPath('xvfb-run');
  if (!xvfbRun && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    throw new Error(`MiniBrowser needs a display and xvfb-run is missing.\n${WEBKIT_INSTALL_HINT}`);
  }
  return { driver, browser, xvfbRun };
}
