// WebKitGTK (MiniBrowser) through WebKitWebDriver and selenium-webdriver (W3C WebDriver). MiniBrowser
// has no headless mode: the driver runs under xvfb-run, and the browser it starts inherits the
// virtual display.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Builder, Capabilities, WebElement } from 'selenium-webdriver';
import { freePort } from '../../../demo/stack.mjs';
import { findWebKit } from '../../../scripts/find-webkit.mjs';
import { findElement } from '../page.mjs';

async function waitForDriver(base, child, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  let exited = false;
  child.once('exit', () => (exited = true));
  while (Date.now() < until) {
    if (exited) throw new Error('WebKitWebDriver exited before it answered');
    try {
      const res = await fetch(`${base}/status`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`WebKitWebDriver did not answer at ${base} within ${timeoutMs} ms`);
}

/** @returns {Promise<import('./types.mjs').Driver>} */
export async function launchWebKit() {
  const { driver: driverPath, browser: browserPath, xvfbRun } = findWebKit();
  const port = await freePort();
  const cmd = xvfbRun ? [xvfbRun, '-a', '-s', '-screen 0 1280x900x24', driverPath, `--port=${port}`] : [driverPath, `--port=${port}`];
  // Its own process group, so that closing ends Xvfb, the driver and the browser together.
  const child = spawn(cmd[0], cmd.slice(1), { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const kill = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* gone already */
    }
  };
  const base = `http://127.0.0.1:${port}`;
  let wd;
  try {
    await waitForDriver(base, child);
    const caps = new Capabilities({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: browserPath, args: ['--automation'] },
    });
    wd = await new Builder().usingServer(base).withCapabilities(caps).build();
  } catch (err) {
    kill();
    throw new Error(`${/** @type {Error} */ (err).message}\n${stderr}`, { cause: err });
  }
  await wd.manage().setTimeouts({ script: 30_000, pageLoad: 30_000 });
  const version = `WebKitGTK ${(await wd.getCapabilities()).get('browserVersion')}`;
  /**
   * Runs `act` with WebDriver's current browsing context switched into the frame at `path`, and
   * back to the tab's document afterwards (W3C WebDriver "Switch To Frame"). `reveal`: for a click.
   * @template T @param {import('./types.mjs').FramePath} path @param {() => Promise<T>} act @param {{ reveal?: boolean }} [options]
   */
  async function inFrame(path, act, { reveal = false } = {}) {
    await wd.switchTo().defaultContent();
    try {
      for (const steps of path) {
        const el = await wd.executeScript(findElement, steps);
        if (!(el instanceof WebElement)) throw new Error(`no frame at ${steps.join(' » ')}`);
        // WebKitWebDriver (2.50.6) scrolls an element into view within its own frame only: a
        // frame below the fold gets a click outside the viewport, which reaches the top
        // document instead. Each frame is brought into view in its parent first.
        if (reveal) await wd.executeScript('arguments[0].scrollIntoView({ block: "nearest", inline: "nearest" })', el);
        await wd.switchTo().frame(el);
      }
      return await act();
    } finally {
      await wd.switchTo().defaultContent();
    }
  }
  /** @param {Function} fn @param {unknown[]} args */
  async function clickHere(fn, args) {
    const el = await wd.executeScript(fn, ...args);
    if (!(el instanceof WebElement)) throw new Error('no element to click');
    await el.click();
  }
  return {
    engine: 'webkit',
    version,
    async goto(url) {
      await wd.get(url);
    },
    async reload() {
      await wd.navigate().refresh();
    },
    async url() {
      return wd.getCurrentUrl();
    },
    async run(fn, ...args) {
      return wd.executeScript(fn, ...args);
    },
    async clickFound(fn, ...args) {
      await clickHere(fn, args);
    },
    frame(path) {
      return {
        url: () => inFrame(path, () => wd.executeScript('return location.href')),
        run: (fn, ...args) => inFrame(path, () => wd.executeScript(fn, ...args)),
        clickFound: (fn, ...args) => inFrame(path, () => clickHere(fn, args), { reveal: true }),
      };
    },
    async screenshot(path) {
      writeFileSync(path, await wd.takeScreenshot(), 'base64');
    },
    async close() {
      await wd.quit().catch(() => {});
      kill();
    },
  };
}
