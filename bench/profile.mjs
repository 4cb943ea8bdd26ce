#!/usr/bin/env node
// A profiling aid, not part of `npm run bench`: where the service worker's own time goes per MCP
// request. Connects the app to a demo stack as the bench does, then records a V8 CPU profile of
// the worker's target (devtools protocol, attached from the browser's session) over N sequential
// `tools/call echo` calls, once on the fetch-event path and once on the port transport, and
// prints the top functions by self time (and by total time) for each.
//
//   node bench/profile.mjs [--dist DIR] [--n 400] [--dpop] [--out DIR]
//
// Build the worker unminified for readable names, e.g.
//   KEYHOLE_OUT_DIR=/tmp/prof npx vite build && KEYHOLE_OUT_DIR=/tmp/prof npx vite build --config vite.sw.config.ts --minify false
// (the precache manifest step then fails on the comment that names its marker; sw.js is written
// anyway: replace `precacheAndRoute(self.__WB_MANIFEST` with `precacheAndRoute([]`).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startDemoStack } from '../demo/stack.mjs';
import { appUrlFor, connectThroughUi, launchBrowser, ROOT, serveApp, serveBaselinePage, waitReady } from './env.mjs';
import { echoBatch } from './page.mjs';
import { portEchoBatch } from './port-page.mjs';
import { summary } from './stats.mjs';
import { obtainToken } from './token.mjs';

const { values: opts } = parseArgs({
  options: {
    dist: { type: 'string', default: join(ROOT, 'dist') },
    n: { type: 'string', default: '400' },
    dpop: { type: 'boolean', default: false },
    out: { type: 'string' },
    top: { type: 'string', default: '25' },
    interval: { type: 'string', default: '50' },
  },
});
const n = Number(opts.n);

/** A devtools session with the service worker's target, through the browser's own session (non-flat). */
async function attachWorker(browser) {
  const root = await browser.newBrowserCDPSession();
  const { targetInfos } = await root.send('Target.getTargets');
  const sw = targetInfos.find((t) => t.type === 'service_worker');
  if (!sw) throw new Error('no service worker target');
  const { sessionId } = await root.send('Target.attachToTarget', { targetId: sw.targetId, flatten: false });
  let id = 0;
  const pending = new Map();
  root.on('Target.receivedMessageFromTarget', (e) => {
    if (e.sessionId !== sessionId) return;
    const msg = JSON.parse(e.message);
    const p = msg.id !== undefined && pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.error) p.reject(new Error(`${msg.error.message}`));
    else p.resolve(msg.result);
  });
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const mid = ++id;
      pending.set(mid, { resolve, reject });
      void root.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: mid, method, params }) }).catch(reject);
    });
  return { send, url: sw.url };
}

/** Self and total time per function (name + location), from a Profiler.Profile. */
function analyse(profile) {
  const byId = new Map(profile.nodes.map((nd) => [nd.id, nd]));
  const dt = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const d = profile.timeDeltas[i + 1] ?? 0;
    dt.set(profile.samples[i], (dt.get(profile.samples[i]) ?? 0) + d);
  }
  const parent = new Map();
  for (const nd of profile.nodes) for (const c of nd.children ?? []) parent.set(c, nd.id);
  const key = (nd) => {
    const f = nd.callFrame;
    const file = f.url ? f.url.split('/').pop() : '';
    return `${f.functionName || '(anonymous)'} ${file}${file ? `:${f.lineNumber + 1}` : ''}`;
  };
  const self = new Map();
  const total = new Map();
  // Where each sample falls: the worker's script, the browser's code it called, or neither.
  const category = new Map();
  const inScript = (nd) => /sw\.js$/.test(nd.callFrame.url);
  let all = 0;
  for (const [nodeId, us] of dt) {
    all += us;
    const nd = byId.get(nodeId);
    let cat = nd.callFrame.functionName || '(anonymous)';
    if (inScript(nd)) cat = 'JS in sw.js';
    else {
      for (let cur = parent.get(nodeId); cur !== undefined; cur = parent.get(cur)) {
        if (inScript(byId.get(cur))) {
          cat = 'built-ins called from sw.js';
          break;
        }
      }
      if (cat === '(anonymous)') cat = 'outside any script (event dispatch, microtasks)';
    }
    category.set(cat, (category.get(cat) ?? 0) + us);
    self.set(key(nd), (self.get(key(nd)) ?? 0) + us);
    const seen = new Set();
    for (let cur = nodeId; cur !== undefined; cur = parent.get(cur)) {
      const k = key(byId.get(cur));
      if (seen.has(k)) continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + us);
    }
  }
  return { all, self, total, category };
}

function print(title, { all, self, total, category }, calls, top) {
  const idle = self.get('(idle) ') ?? 0;
  const busy = all - idle;
  console.log(`\n== ${title}: ${(all / 1000).toFixed(0)} ms profiled, busy ${(busy / 1000).toFixed(0)} ms = ${(busy / calls / 1000).toFixed(3)} ms per call`);
  console.log('  by kind, per call (µs):');
  for (const [k, us] of [...category].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1])) console.log(`  ${(us / calls).toFixed(1).padStart(8)}  ${k}`);
  console.log('  self time per call (µs), top functions (idle excluded):');
  for (const [k, us] of [...self].filter(([k]) => k !== '(idle) ').sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`  ${(us / calls).toFixed(1).padStart(8)}  ${k}`);
  }
  console.log('  total time per call (µs) of Keyhole functions (sw.js), top:');
  for (const [k, us] of [...total].filter(([k]) => / sw\.js:/.test(k)).sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`  ${(us / calls).toFixed(1).padStart(8)}  ${k}`);
  }
}

const app = await serveApp(opts.dist);
const base = await serveBaselinePage();
const stack = await startDemoStack({ appOrigins: [app.origin, base.origin], autoApprove: true, bearerOnly: !opts.dpop });
const browser = await launchBrowser();
try {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(appUrlFor(app));
  await waitReady(page);
  await connectThroughUi(page, stack.mcp.url);
  const url = stack.mcp.url;
  let idBase = 1;
  const { accessToken: token } = await obtainToken({ issuer: stack.auth.issuer, resource: url, redirectUri: `${base.origin}/cb` });
  const alias = url.replace('//localhost:', '//127.0.0.1:');
  const variants = {
    // The floor: the worker intercepts but holds no connection for this name, so it only forwards.
    interception: (k) => page.evaluate(echoBatch, { url: alias, token, n: k, concurrency: 1, idBase }),
    'fetch-event': (k) => page.evaluate(echoBatch, { url, n: k, concurrency: 1, idBase, limited: true }),
    port: (k) => page.evaluate(portEchoBatch, { url, n: k, concurrency: 1, idBase }),
  };
  for (const run of Object.values(variants)) {
    const r = await run(100);
    idBase += 100;
    if (r.errors) throw new Error(`warm-up: ${r.errors} failed, ${r.firstError}`);
  }
  const sw = await attachWorker(browser);
  await sw.send('Profiler.enable');
  await sw.send('Profiler.setSamplingInterval', { interval: Number(opts.interval) });
  for (const [name, run] of Object.entries(variants)) {
    await sw.send('Profiler.start');
    const r = await run(n);
    idBase += n;
    const { profile } = await sw.send('Profiler.stop');
    if (r.errors) throw new Error(`${name}: ${r.errors} failed, ${r.firstError}`);
    if (opts.out) writeFileSync(join(opts.out, `${name}.cpuprofile`), JSON.stringify(profile));
    const s = summary(r.lat);
    if (opts.out) writeFileSync(join(opts.out, `${name}.lat.json`), JSON.stringify(r.lat));
    console.log(`\n${name}: latency median ${s.median.toFixed(2)} ms, p95 ${s.p95.toFixed(2)} ms (n=${n}, profiler on)`);
    print(name, analyse(profile), n, Number(opts.top));
  }
} finally {
  await browser.close();
  await stack.close();
  await app.close();
  await base.close();
}
