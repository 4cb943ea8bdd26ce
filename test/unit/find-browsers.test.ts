// How npm test finds Firefox and WebKitGTK: the environment variable first, a clear install hint
// when it points nowhere, the Debian paths otherwise.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFirefox } from '../../scripts/find-firefox.mjs';
import { findWebKit } from '../../scripts/find-webkit.mjs';

const saved = { ...process.env };
afterEach(() => {
  for (const k of ['FIREFOX_PATH', 'WEBKIT_DRIVER_PATH', 'WEBKIT_BROWSER_PATH']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

function fakeBinary(name: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'keyhole-find-')), name);
  writeFileSync(path, '#!/bin/sh\n', { mode: 0o755 });
  return path;
}

describe('findFirefox', () => {
  it('takes FIREFOX_PATH when it exists', () => {
    const path = fakeBinary('firefox');
    process.env.FIREFOX_PATH = path;
    expect(findFirefox()).toBe(path);
  });

  it('names the Debian package when FIREFOX_PATH points nowhere', () => {
    process.env.FIREFOX_PATH = '/nonexistent/firefox';
    expect(() => findFirefox()).toThrow(/FIREFOX_PATH is set to \/nonexistent\/firefox[\s\S]*apt-get install -y firefox-esr/);
  });
});

describe('findWebKit', () => {
  it('takes WEBKIT_DRIVER_PATH and WEBKIT_BROWSER_PATH when they exist', () => {
    const driver = fakeBinary('WebKitWebDriver');
    const browser = fakeBinary('MiniBrowser');
    process.env.WEBKIT_DRIVER_PATH = driver;
    process.env.WEBKIT_BROWSER_PATH = browser;
    expect(findWebKit()).toMatchObject({ driver, browser });
  });

  it('names the Debian packages when WEBKIT_DRIVER_PATH points nowhere', () => {
    process.env.WEBKIT_DRIVER_PATH = '/nonexistent/WebKitWebDriver';
    expect(() => findWebKit()).toThrow(/apt-get install -y webkit2gtk-driver xvfb xauth/);
  });

  it('says MiniBrowser is missing when only the driver is there', () => {
    process.env.WEBKIT_DRIVER_PATH = fakeBinary('WebKitWebDriver');
    process.env.WEBKIT_BROWSER_PATH = '/nonexistent/MiniBrowser';
    expect(() => findWebKit()).toThrow(/WEBKIT_BROWSER_PATH is set to \/nonexistent\/MiniBrowser/);
  });
});
