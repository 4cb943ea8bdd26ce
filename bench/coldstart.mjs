// 5. Cold start. First visit (fresh profile: the worker installs, activates and claims the page)
// is measured in connect.mjs; here: repeat visits of an app with an authorized server (to the
// add form enabled, and to the server's card connected with its tools), and a stopped worker's
// first answered call (CDP ServiceWorker.stopAllWorkers; "Keep me signed in" ticked so the worker
// can reload its token from IndexedDB) against the same call with the worker running.
import { appUrlFor, connectThroughUi, reloadPage, waitReady, waitTools } from './env.mjs';
import { echoBatch } from './page.mjs';
import { sleep, summary } from './stats.mjs';

async function stopWorkers(cdp, versions) {
  await cdp.send('ServiceWorker.stopAllWorkers');
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (versions.size && [...versions.values()].every((v) => v.runningStatus === 'stopped')) return;
    await sleep(5);
  }
  throw new Error(`the service worker did not stop: ${JSON.stringify([...versions.values()])}`);
}

/**
 * @param {{ browser: import('playwright-core').Browser, app: { url: string }, stack: any, reloads: number, stops: number }} o
 */
export async function measureColdStart({ browser, app, stack, reloads, stops }) {
  const mcpUrl = stack.mcp.url;
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    await page.goto(appUrlFor(app));
    await waitReady(page);
    await connectThroughUi(page, mcpUrl, { keepSignedIn: true });

    let reloadAttempts = 0;
    const repeatReady = [];
    const repeatConnected = [];
    for (let k = 0; k < reloads; k++) {
      reloadAttempts += (await reloadPage(page)) - 1;
      const readyAt = await waitReady(page);
      const toolsAt = await waitTools(page, mcpUrl);
      const origin = await page.evaluate(() => performance.timeOrigin);
      repeatReady.push(readyAt - origin);
      repeatConnected.push(toolsAt - origin);
    }

    const cdp = await ctx.newCDPSession(page);
    /** @type {Map<string, { runningStatus: string }>} */
    const versions = new Map();
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions: vs }) => {
      for (const v of vs) versions.set(v.versionId, v);
    });
    await cdp.send('ServiceWorker.enable');
    const call = async (idBase) => {
      const r = await page.evaluate(echoBatch, { url: mcpUrl, n: 1, concurrency: 1, idBase });
      if (r.errors) throw new Error(`echo failed: ${r.firstError}`);
      return r.lat[0];
    };
    const running = [];
    const stopped = [];
    await call(1); // warm
    for (let k = 0; k < stops; k++) {
      running.push(await call(10 + k));
      await stopWorkers(cdp, versions);
      stopped.push(await call(100 + k));
      await call(200 + k); // the restarted worker settles
    }
    const rs = summary(running);
    const ss = summary(stopped);
    return {
      repeatVisit: { readyMs: summary(repeatReady), cardConnectedMs: summary(repeatConnected) },
      stoppedWorkerCallMs: ss,
      runningWorkerCallMs: rs,
      stoppedRatio: { median: ss.median / rs.median },
      abortedReloadsRetried: reloadAttempts,
    };
  } finally {
    await ctx.close();
  }
}
