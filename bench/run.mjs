#!/usr/bin/env node
// `npm run bench`: Keyhole's costs measured in real (headless) Chromium on loopback, against the
// demo stack. Prints a table and writes bench/results.json. Starts its own servers on free ports,
// takes about 6 minutes (a minute and a half with --quick), and exits 0 whatever the figures (a benchmark measures; it does not
// judge). It exits 1 only when a part could not be measured at all.
//
//   node bench/run.mjs [--quick] [--n 1000] [--no-build] [--dist DIR] [--out FILE]
//
//   --quick     fewer requests and repetitions (about a minute)
//   --n N       echo calls per variant and mode in part 1 (default 1000; --quick 300)
//   --no-build  measure an existing build (default dist/, or --dist DIR) instead of building one
//   --only K,K  run only these parts (by their results.json keys, e.g. overhead,dpop,inspector)
//   --no-inspector  leave out part 8 (MCP Inspector, installed into bench/inspector on first use)
//   --no-port   leave out part 1's port-transport variant (to measure a build that has none)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startDemoStack } from '../demo/stack.mjs';
import { measureColdStart } from './coldstart.mjs';
import { measureConnect } from './connect.mjs';
import { measureDpop } from './dpop.mjs';
import { appUrlFor, buildApp, connectThroughUi, launchBrowser, ROOT, serveApp, serveBaselinePage, waitReady } from './env.mjs';
import { measureInspector } from './inspector.mjs';
import { measureOverhead } from './overhead.mjs';
import { speedFigures } from './speed.mjs';
import { measureRefresh } from './refresh.mjs';
import { printTable } from './report.mjs';
import { measureSize, sizeAndVisitKeys } from './size.mjs';
import { measureStreaming } from './streaming.mjs';
import { obtainToken } from './token.mjs';

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    n: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    dist: { type: 'string' },
    out: { type: 'string', default: join(ROOT, 'bench', 'results.json') },
    only: { type: 'string' },
    'no-inspector': { type: 'boolean', default: false },
    'no-port': { type: 'boolean', default: false },
  },
});
const quick = opts.quick;
const plan = {
  n: Number(opts.n ?? (quick ? 300 : 1000)),
  rounds: quick ? 4 : 10,
  streamRuns: quick ? 2 : 6,
  streamSteps: 200,
  streamDelayMs: 1,
  refreshBursts: quick ? 1 : 3,
  connectFirstRuns: quick ? 2 : 4,
  connectReloads: quick ? 1 : 2,
  coldReloads: quick ? 3 : 6,
  coldStops: quick ? 3 : 8,
};

const started = Date.now();
const log = (msg) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${msg}`);
const results = {
  date: new Date().toISOString(),
  machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGB: Math.round(os.totalmem() / 2 ** 30), platform: `${os.platform()} ${os.release()}` },
  node: process.version,
  chromium: undefined,
  plan: { quick, ...plan },
};
let failures = 0;
const cleanups = [];

// Never outlive the 8-minute budget (part 1's fourth variant and part 8 added about 2 minutes): report what was measured and stop.
const watchdog = setTimeout(() => {
  log('time budget (480 s) exhausted; writing what was measured');
  results.aborted = 'time budget exhausted';
  finish(1);
}, 480_000);

const only = opts.only ? new Set(opts.only.split(',')) : undefined;
async function part(key, title, fn) {
  if (only && !only.has(key)) return;
  log(`${title}…`);
  const t = Date.now();
  try {
    results[key] = await fn();
  } catch (err) {
    failures++;
    results[key] = { error: String(err?.stack ?? err) };
    log(`${title} FAILED: ${err?.message ?? err}`);
  }
  (results.seconds ??= {})[key] = (Date.now() - t) / 1000;
}

let finished = false;
async function finish(code) {
  if (finished) return;
  finished = true;
  clearTimeout(watchdog);
  results.totalSeconds = (Date.now() - started) / 1000;
  Object.assign(results, speedFigures(results));
  writeFileSync(opts.out, `${JSON.stringify(results, null, 2)}\n`);
  console.log('');
  console.log(`Keyhole bench — ${results.date} — Chromium ${results.chromium ?? '?'} — ${results.machine.cores} cores — Node ${results.node}${quick ? ' — quick' : ''}`);
  console.log('');
  printTable(results);
  console.log('');
  console.log(`${opts.out} written; ${results.totalSeconds.toFixed(0)} s in all.`);
  for (const c of cleanups.reverse()) await Promise.race([c().catch(() => {}), new Promise((r) => setTimeout(r, 3000))]);
  process.exit(code);
}

try {
  let dist = opts.dist ?? join(ROOT, 'dist');
  if (!opts['no-build']) {
    dist = mkdtempSync(join(os.tmpdir(), 'keyhole-bench-dist-'));
    cleanups.push(async () => rmSync(dist, { recursive: true, force: true }));
    log(`building the app into ${dist}`);
    buildApp(dist);
  }

  const app = await serveApp(dist);
  cleanups.push(app.close);
  const base = await serveBaselinePage();
  cleanups.push(base.close);
  const appOrigins = [app.origin, base.origin];
  // Parts 1–6 compare the worker with a page holding a Bearer token itself, so their stacks are
  // Bearer-only; part 7 adds a DPoP stack and compares the two through the worker.
  const stack = await startDemoStack({ appOrigins, autoApprove: true, bearerOnly: true });
  cleanups.push(stack.close);
  // Part 3's stacks: 5-second access tokens (expired), and 35-second ones (fired inside the worker's refresh margin, min(30 s, half the lifetime)).
  const shortStack = await startDemoStack({ appOrigins, autoApprove: true, accessTokenTTL: 5, bearerOnly: true });
  cleanups.push(shortStack.close);
  const marginStack = await startDemoStack({ appOrigins, autoApprove: true, accessTokenTTL: 35, bearerOnly: true });
  cleanups.push(marginStack.close);
  const dpopStack = await startDemoStack({ appOrigins, autoApprove: true });
  cleanups.push(dpopStack.close);
  log(`app ${app.origin}, baseline page ${base.origin}, MCP ${stack.mcp.url} (AS ${stack.auth.issuer}), short-token MCP ${shortStack.mcp.url}`);

  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  results.chromium = browser.version();

  // Parts 1 and 2 share one profile: the app connected through the real flow, and an
  // uncontrolled page on the baseline origin with a token obtained in Node.
  const ctx = await browser.newContext();
  const worker = await ctx.newPage();
  await worker.goto(appUrlFor(app));
  await waitReady(worker);
  await connectThroughUi(worker, stack.mcp.url);
  const direct = await ctx.newPage();
  await direct.goto(base.url);
  const { accessToken } = await obtainToken({ issuer: stack.auth.issuer, resource: stack.mcp.url, redirectUri: `${base.origin}/cb` });

  await part('overhead', '1. per-request overhead', () =>
    measureOverhead({ worker, direct, mcpUrl: stack.mcp.url, token: accessToken, n: plan.n, minRounds: plan.rounds, port: !opts['no-port'], mcpRequests: stack.mcp.requests }),
  );
  await part('streaming', '2. streaming', () =>
    measureStreaming({ worker, direct, mcpUrl: stack.mcp.url, token: accessToken, runs: plan.streamRuns, steps: plan.streamSteps, delayMs: plan.streamDelayMs }),
  );
  if (!opts['no-inspector']) {
    await part('inspector', '8. MCP Inspector v2, the same call through its backend', () =>
      measureInspector({ browser, worker, mcpUrl: stack.mcp.url, accessToken, n: quick ? 200 : 500, rounds: plan.rounds, log }),
    );
  }
  await ctx.close();

  await part('refresh', '3. refresh coalescing, expired 5 s token', () =>
    measureRefresh({ browser, app, base, stack: shortStack, reps: plan.refreshBursts, ttl: 5, waitFor: 'expiry' }),
  );
  await part('refreshMargin', '3b. refresh coalescing, 35 s token inside the refresh margin (17.5 s)', () =>
    measureRefresh({ browser, app, base, stack: marginStack, reps: plan.refreshBursts, ttl: 35, waitFor: 'margin', withDirect: false }),
  );
  await part('connect', '4. connect (and 5. first visit, 6. first-load assets)', () =>
    measureConnect({ browser, app, stack, firstRuns: plan.connectFirstRuns, reloads: plan.connectReloads }),
  );
  await part('coldstart', '5. cold start', () => measureColdStart({ browser, app, stack, reloads: plan.coldReloads, stops: plan.coldStops }));
  await part('size', '6. size', async () => {
    if (!results.connect?.assets) throw new Error('part 4 recorded no first-load assets');
    return measureSize({ dist, assets: results.connect.assets, swScriptUrl: results.connect.swScriptUrl, connectedAssets: results.connect.connectedAssets });
  });
  Object.assign(results, sizeAndVisitKeys(results));
  await part('dpop', '7. DPoP', () =>
    measureDpop({ browser, app, dpopStack, bearerStack: stack, n: quick ? 200 : 600, rounds: plan.rounds }),
  );
} catch (err) {
  failures++;
  results.error = String(err?.stack ?? err);
  log(`setup FAILED: ${err?.message ?? err}`);
}
await finish(failures ? 1 : 0);
