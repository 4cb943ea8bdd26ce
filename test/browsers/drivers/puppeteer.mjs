// Chromium (DevTools protocol) and Firefox (WebDriver BiDi) through puppeteer-core: the tiny driver
// interface every engine of the cross-browser suite offers (./types.mjs).
import puppeteer from 'puppeteer-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, findChromium } from '../../../scripts/find-chromium.mjs';
import { findFirefox } from '../../../scripts/find-firefox.mjs';
import { findElement } from '../page.mjs';

/**
 * Firefox prefs that keep every request on loopback (the machine has no outside network, and
 * background requests to update, telemetry, remote-settings or captive-portal hosts only slow the
 * run down). The WebDriver BiDi agent's own recommended prefs come on top of these.
 */
export const FIREFOX_LOOPBACK_PREFS = {
  'app.normandy.enabled': false,
  'app.shield.optoutstudies.enabled': false,
  'app.update.auto': false,
  'app.update.enabled': false,
  'browser.aboutHomeStartupCache.enabled': false,
  'browser.newtabpage.enabled': false,
  'browser.newtabpage.activity-stream.feeds.system.topsites': false,
  'browser.newtabpage.activity-stream.feeds.system.topstories': false,
  'browser.ping-centre.telemetry': false,
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.provider.google4.updateURL': '',
  'browser.search.update': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'browser.topsites.contile.enabled': false,
  'captivedetect.canonicalURL': '',
  'datareporting.healthreport.uploadEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'extensions.blocklist.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'extensions.update.enabled': false,
  'geo.provider.network.url': '',
  'media.gmp-manager.url': '',
  'messaging-system.rsexperimentloader.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.trr.mode': 5,
  'services.settings.server': 'http://127.0.0.1:9/',
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.server': '',
  'toolkit.telemetry.unified': false,
};

/**
 * @param {'chromium' | 'firefox'} engine
 * @returns {Promise<import('./types.mjs').Driver>}
 */
export async function launchPuppeteer(engine) {
  const profile = mkdtempSync(join(tmpdir(), `keyhole-${engine}-`));
  const browser =
    engine === 'firefox'
      ? await puppeteer.launch({
          browser: 'firefox',
          protocol: 'webDriverBiDi',
          executablePath: findFirefox(),
          headless: true,
          userDataDir: profile,
          extraPrefsFirefox: FIREFOX_LOOPBACK_PREFS,
        })
      : await puppeteer.launch({
          executablePath: (await findChromium()) ?? undefined,
          headless: true,
          userDataDir: profile,
          args: CHROMIUM_ARGS,
        });
  const version = await browser.version();
  const [first] = await browser.pages();
  const page = first ?? (await browser.newPage());
  page.setDefaultTimeout(30_000);
  page.setDefaultNavigationTimeout(30_000);
  /** @param {import('./types.mjs').FramePath} path */
  async function frameAt(path) {
    let frame = page.mainFrame();
    for (const steps of path) {
      const handle = await frame.evaluateHandle(findElement, steps);
      const el = handle.asElement();
      if (!el) {
        await handle.dispose();
        throw new Error(`no frame at ${steps.join(' » ')}`);
      }
      const next = await /** @type {import('puppeteer-core').ElementHandle<Element>} */ (el).contentFrame();
      await el.dispose();
      if (!next) throw new Error(`${steps.join(' » ')} has no document (yet)`);
      frame = next;
    }
    return frame;
  }
  /** @param {import('puppeteer-core').Frame | import('puppeteer-core').Page} where @param {Function} fn @param {unknown[]} args */
  async function clickIn(where, fn, args) {
    const handle = await where.evaluateHandle(fn, ...args);
    const el = handle.asElement();
    if (!el) {
      await handle.dispose();
      throw new Error('no element to click');
    }
    await /** @type {import('puppeteer-core').ElementHandle<Element>} */ (el).click();
    await el.dispose();
  }
  return {
    engine,
    version,
    async goto(url) {
      await page.goto(url, { waitUntil: 'load' });
    },
    async reload() {
      await page.reload({ waitUntil: 'load' });
    },
    async url() {
      return page.url();
    },
    async run(fn, ...args) {
      return page.evaluate(fn, ...args);
    },
    async clickFound(fn, ...args) {
      await clickIn(page, fn, args);
    },
    frame(path) {
      return {
        url: async () => (await frameAt(path)).url(),
        run: async (fn, ...args) => (await frameAt(path)).evaluate(/** @type {any} */ (fn), ...args),
        clickFound: async (fn, ...args) => clickIn(await frameAt(path), fn, args),
      };
    },
    async screenshot(path) {
      await page.screenshot({ path });
    },
    async close() {
      await browser.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
