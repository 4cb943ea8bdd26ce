#!/usr/bin/env node
// A profiling aid, not part of `npm run bench`: two builds of the app side by side in one browser
// (each on its own origin, so each has its own worker), connected to the same demo MCP server,
// and the same sequential `tools/call echo` batches sent through each build's fetch-event path,
// its port transport and bare interception, in rounds whose order rotates. On a shared, noisy
// machine this compares a change with its base far better than two bench runs can.
//
//   node bench/ab.mjs --a DIST_BEFORE --b DIST_AFTER [--n 600] [--rounds 12] [--concurrency 1]
import { parseArgs } from 'node:util';
import { startDemoStack } from '../demo/stack.mjs';
import { appUrlFor, connectThroughUi, launchBrowser, serveApp, waitReady } from './env.mjs';
import { echoBatch } from './page.mjs';
import { portEchoBatch } from './port-page.mjs';
import { ratio, summary } from './stats.mjs';
import { obtainToken } from './token.mjs';

const { values: opts } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    n: { type: 'string', default: '600' },
    rounds: { type: 'string', default: '12' },
    concurrency: { type: 'string', default: '1' },
  },
});
if (!opts.a || !opts.b) throw new Error('--a and --b name the two builds (dist directories)');
const n = Number(opts.n);
const rounds = Number(opts.rounds);
const concurrency = Number(opts.concurrency);

const apps = { a: await serveApp(opts.a), b: await serveApp(opts.b) };
const stack = await startDemoStack({ appOrigins: [apps.a.origin, apps.b.origin], autoApprove: true, bearerOnly: true });
const browser = await launchBrowser();
try {
  const url = stack.mcp.url;
  const alias = url.replace('//localhost:', '//127.0.0.1:');
  const pages = {};
  for (const [name, app] of Object.entries(apps)) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(appUrlFor(app));
    await waitReady(page);
    await connectThroughUi(page, url);
    pages[name] = page;
  }
  const { accessToken: token } = await obtainToken({ issuer: stack.auth.issuer, resource: url, redirectUri: `${apps.a.origin}/cb` });
  let idBase = 1;
  const variants = {};
  for (const [name, page] of Object.entries(pages)) {
    variants[`${name} fetch-event`] = (k) => page.evaluate(echoBatch, { url, n: k, concurrency, idBase, limited: true });
    variants[`${name} port`] = (k) => page.evaluate(portEchoBatch, { url, n: k, concurrency, idBase });
    variants[`${name} interception`] = (k) => page.evaluate(echoBatch, { url: alias, token, n: k, concurrency, idBase });
  }
  const names = Object.keys(variants);
  const run = async (name, k) => {
    const r = await variants[name](k);
    idBase += k;
    if (r.errors) throw new Error(`${name}: ${r.errors} of ${k} failed, first: ${r.firstError}`);
    return r.lat;
  };
  for (const name of names) await run(name, 60);
  const lat = Object.fromEntries(names.map((k) => [k, []]));
  const per = Math.max(1, Math.round(n / rounds));
  for (let r = 0; r < rounds; r++) {
    const rot = names.map((_, i) => names[(i + r) % names.length]);
    for (const name of r % 2 ? rot.reverse() : rot) lat[name].push(...(await run(name, per)));
  }
  // Page clocks tick in 0.1 ms here (no cross-origin isolation), so medians move in 0.1 ms steps;
  // the mean between the 10th and 90th percentiles shows smaller differences.
  const trimmed = (xs) => {
    const s = xs.filter(Number.isFinite).sort((x, y) => x - y);
    const kept = s.slice(Math.floor(s.length * 0.1), Math.ceil(s.length * 0.9));
    return kept.reduce((t, x) => t + x, 0) / kept.length;
  };
  const S = Object.fromEntries(names.map((k) => [k, { ...summary(lat[k]), trimmed: trimmed(lat[k]) }]));
  console.log(`\nA = ${opts.a}\nB = ${opts.b}\n${per * rounds} calls per variant, ${concurrency} in flight, ${rounds} rounds\n`);
  for (const k of names) console.log(`${k.padEnd(18)} median ${S[k].median.toFixed(2).padStart(7)} ms   trimmed mean ${S[k].trimmed.toFixed(3).padStart(8)} ms   p95 ${S[k].p95.toFixed(2).padStart(7)} ms`);
  console.log('');
  for (const path of ['fetch-event', 'port', 'interception']) {
    console.log(`B/A ${path.padEnd(13)} median ${ratio(S[`b ${path}`].median, S[`a ${path}`].median).toFixed(3)}, trimmed mean ${ratio(S[`b ${path}`].trimmed, S[`a ${path}`].trimmed).toFixed(3)}`);
  }
  const two = (build, x, y) =>
    `${ratio(S[`${build} ${x}`].median, S[`${build} ${y}`].median).toFixed(3)}; ${ratio(S[`${build} ${x}`].trimmed, S[`${build} ${y}`].trimmed).toFixed(3)}`;
  for (const build of ['a', 'b']) {
    console.log(
      `${build.toUpperCase()} (medians; trimmed means): fetch-event/interception ${two(build, 'fetch-event', 'interception')}, port/interception ${two(build, 'port', 'interception')}, port/fetch-event ${two(build, 'port', 'fetch-event')}`,
    );
  }
} finally {
  await browser.close();
  await stack.close();
  await apps.a.close();
  await apps.b.close();
}
