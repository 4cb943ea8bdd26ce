#!/usr/bin/env node
// The cross-browser suite: the same steps (scenarios.mjs) in Chromium, Firefox and WebKitGTK, each
// through the tiny driver interface of drivers/types.mjs, against the built app (dist/, or
// KEYHOLE_DIST) and the real demo stack on free loopback ports.
//
//   node test/browsers/run.mjs [--engine chromium|firefox|webkit]... [--scenario NAME]... [--repeat N] [--break STEP]
//
// Prints each step, then one line per engine and the closing "browsers: N passed, M failed".
// A browser that cannot be found fails its engine with what to install (no silent skip).
// --scenario <name prefix> runs only the scenarios whose name starts with it ("MCP Apps", "DPoP").
// --break <step name prefix> makes that step throw, to show that the suite can fail.
// --result <file> also writes the per-engine results as JSON (npm test's summary reads it).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startDemoStack } from '../../demo/stack.mjs';
import { serveStatic } from '../../scripts/static-server.mjs';
import { serveBuiltSandbox } from '../../scripts/sandbox-site.mjs';
import { launchPuppeteer } from './drivers/puppeteer.mjs';
import { launchWebKit } from './drivers/webkit.mjs';
import { scenarios } from './scenarios.mjs';
import { ui } from './ui.mjs';

const ENGINES = /** @type {const} */ (['chromium', 'firefox', 'webkit']);
const { values } = parseArgs({
  options: {
    engine: { type: 'string', multiple: true },
    scenario: { type: 'string', multiple: true },
    repeat: { type: 'string', default: '1' },
    break: { type: 'string' },
    result: { type: 'string' },
  },
});
const engines = values.engine?.length ? values.engine : [...ENGINES];
for (const e of engines) if (!ENGINES.includes(/** @type {any} */ (e))) throw new Error(`unknown engine ${e} (one of ${ENGINES.join(', ')})`);
const repeat = Math.max(1, Number(values.repeat) || 1);
const chosen = values.scenario?.length ? scenarios.filter((s) => values.scenario?.some((p) => s.name.startsWith(p))) : scenarios;
if (chosen.length === 0) throw new Error(`no scenario starts with ${values.scenario?.join(', ')} (${scenarios.map((s) => s.name).join(', ')})`);
const DIST = resolve(process.env.KEYHOLE_DIST ?? 'dist');
const SHOTS = resolve('test-results/browsers');

if (!existsSync(join(DIST, 'index.html'))) {
  console.error(`No built app at ${DIST}: run npm run build first.`);
  process.exit(1);
}

/** @param {string} engine */
const launch = (engine) => (engine === 'webkit' ? launchWebKit() : launchPuppeteer(/** @type {'chromium' | 'firefox'} */ (engine)));

/** @type {{ engine: string, version?: string, passed: number, failed: number, seconds: number, failures: string[] }[]} */
const results = [];
const app = await serveStatic({ root: DIST, port: 0 });
// The MCP Apps sandbox site on the origin the build named (KEYHOLE_SANDBOX_URL). A build without it,
// or a port already taken, fails the Apps scenario's first step with why (not a skip).
/** @type {{ origin: string, close: () => Promise<void> } | { error: string }} */
const sandbox = await serveBuiltSandbox(DIST).catch((/** @type {Error} */ err) => ({ error: err.message }));
try {
  for (const engine of engines) {
    const started = Date.now();
    const result = { engine, version: /** @type {string | undefined} */ (undefined), passed: 0, failed: 0, seconds: 0, failures: /** @type {string[]} */ ([]) };
    results.push(result);
    console.log(`\n── ${engine} ──`);
    for (let round = 1; round <= repeat; round++) {
      for (const scenario of chosen) {
        const prefix = `${repeat > 1 ? `#${round} ` : ''}${scenario.name}`;
        let driver;
        let stack;
        try {
          driver = await launch(engine);
          result.version = driver.version;
          stack = await startDemoStack({ appOrigins: [app.origin], ...scenario.stack });
          const meta = await (await fetch(`${stack.auth.issuer}/.well-known/oauth-authorization-server`)).json();
          stack.authorizePath = new URL(meta.authorization_endpoint).pathname;
          stack.autoApprove = !!scenario.stack.autoApprove;
        } catch (err) {
          // The browser is missing or would not start: every step of the scenario fails with why.
          const why = /** @type {Error} */ (err).message;
          console.log(`  FAIL  ${prefix}: could not start: ${why}`);
          // No browser: the steps of every scenario fail (none of them ran).
          const unrun = driver ? [scenario] : chosen.slice(chosen.indexOf(scenario));
          result.failed += unrun.reduce((n, s) => n + s.steps.length, 0);
          result.failures.push(`${prefix}: ${why.split('\n')[0]}`);
          await driver?.close();
          await stack?.close();
          if (!driver) break;
          continue;
        }
        const ctx = { d: driver, u: ui(driver), appUrl: app.url, appOrigin: app.origin, sandbox, stack, snapshots: [], notes: [] };
        let broken;
        for (const step of scenario.steps) {
          const label = `${prefix} › ${step.name}`;
          if (broken) {
            console.log(`  FAIL  ${label} (not run: "${broken}" failed)`);
            result.failed++;
            continue;
          }
          const t0 = Date.now();
          try {
            if (values.break && step.name.startsWith(values.break)) throw new Error('broken on purpose (--break)');
            await step.run(ctx);
            console.log(`  ok    ${label} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
            result.passed++;
          } catch (err) {
            const why = /** @type {Error} */ (err).message;
            console.log(`  FAIL  ${label}: ${why}`);
            result.failed++;
            result.failures.push(`${label}: ${why.split('\n')[0]}`);
            broken = step.name;
            mkdirSync(SHOTS, { recursive: true });
            const shot = join(SHOTS, `${engine}-${label.replace(/[^a-z0-9]+/gi, '-')}.png`.toLowerCase());
            await driver.screenshot(shot).then(() => console.log(`        screenshot: ${shot}`), () => {});
          }
        }
        for (const n of ctx.notes) console.log(`        ${n}`);
        await driver.close();
        await stack.close();
      }
    }
    result.seconds = (Date.now() - started) / 1000;
  }
} finally {
  await app.close();
  if ('close' in sandbox) await sandbox.close();
}

console.log('\n── browsers ──');
for (const r of results) {
  console.log(`${r.failed ? 'FAIL' : 'PASS'}  ${r.engine}${r.version ? ` (${r.version})` : ''}: ${r.passed} passed, ${r.failed} failed (${r.seconds.toFixed(1)} s)`);
  for (const f of r.failures) console.log(`        ${f}`);
}
if (values.result) writeFileSync(values.result, JSON.stringify(results, null, 2));
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`browsers: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
