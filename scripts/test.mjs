// `npm test`: everything that proves Keyhole works, in order, stopping at nothing so that one
// run reports every failing part. Exits non-zero if any step failed.
// `npm test -- --only browsers` runs only the steps whose names start with that (repeatable).
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { findChromium } from './find-chromium.mjs';
import { findFirefox } from './find-firefox.mjs';
import { findWebKit } from './find-webkit.mjs';

let chrome;
try {
  chrome = await findChromium();
} catch (err) {
  console.error(`\n${err.message}\n`);
  process.exit(1);
}
console.log(`Chromium: ${chrome ?? 'Playwright’s own'}`);
const env = { ...process.env, ...(chrome ? { CHROME_PATH: chrome } : {}) };

// The cross-browser suite (test/browsers/), one step per engine on the build above. A browser that
// is missing fails its step with what to install: nothing is skipped silently.
const BROWSER_RESULTS = 'test-results/browsers';
/** @type {Record<string, () => unknown>} */
const finders = { chromium: () => chrome, firefox: findFirefox, webkit: findWebKit };
/** The finder's message in one line: what is wrong and the Debian package that fixes it. */
function missingSummary(message) {
  const [first, ...rest] = message.split('\n');
  const apt = rest.find((l) => l.includes('apt-get install'));
  return apt ? `${first} ${apt.replace(/^.*?(apt-get install[^(]*).*$/, '$1').trim()}` : first;
}
const browserSteps = Object.entries(finders).map(([engine, find]) => {
  const result = `${BROWSER_RESULTS}/${engine}.json`;
  try {
    find();
  } catch (err) {
    return [`browsers: ${engine}`, process.execPath, ['-e', `console.error(${JSON.stringify(err.message)}); process.exit(1)`], {}, { result, missing: missingSummary(err.message) }];
  }
  return [`browsers: ${engine}`, process.execPath, ['test/browsers/run.mjs', '--engine', engine, '--result', result], {}, { result }];
});

// Playwright's JSON report (playwright.config.ts), read for the summary: CI often keeps only the tail.
const E2E_REPORT = 'test-results/e2e.json';

const steps = [
  ['types', 'npm', ['run', '--silent', 'typecheck']],
  ['lint', 'npm', ['run', '--silent', 'lint']],
  ['unit', 'npx', ['vitest', 'run']],
  // With the MCP Apps sandbox site (dist-sandbox/) at the loopback origin test/e2e/apps.spec.ts serves it on.
  ['build', 'npm', ['run', '--silent', 'build'], { KEYHOLE_SANDBOX_URL: 'http://localhost:4191/' }],
  ['end-to-end', 'npx', ['playwright', 'test'], {}, undefined, { report: E2E_REPORT }],
  // Its own build: the client ID URL auth/basic-cimd expects (see package.json "conformance").
  ...browserSteps,
  ['conformance', 'npm', ['run', '--silent', 'conformance']],
];

/** The failed and flaky end-to-end tests, by file and title, for the summary line. */
function e2eDetail({ report }) {
  if (!existsSync(report)) return 'no report';
  const { suites = [], stats = {} } = JSON.parse(readFileSync(report, 'utf8'));
  const failed = [];
  const walk = (suite, file) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status === 'unexpected' || t.status === 'flaky') failed.push(`${file}: ${spec.title}${t.status === 'flaky' ? ' (flaky)' : ''}`);
      }
    }
    for (const s of suite.suites ?? []) walk(s, file);
  };
  for (const s of suites) walk(s, s.file ?? s.title);
  const counts = `${stats.expected ?? 0} passed, ${stats.unexpected ?? 0} failed`;
  return failed.length ? `${counts}: ${failed.join('; ')}` : counts;
}

/** What a browser step's result file says: its engine, version and counts, for the summary line. */
function browserDetail({ result, missing }) {
  if (missing) return missing;
  if (!existsSync(result)) return 'no result';
  const [r] = JSON.parse(readFileSync(result, 'utf8'));
  return r ? `${r.version ?? r.engine}: ${r.passed} passed, ${r.failed} failed` : 'no result';
}

const { values: options } = parseArgs({ options: { only: { type: 'string', multiple: true } } });
const chosen = options.only?.length ? steps.filter(([name]) => options.only.some((p) => name.startsWith(p))) : steps;

const results = [];
for (const [name, cmd, args, extraEnv, browser, e2e] of chosen) {
  console.log(`\n━━ ${name} ━━`);
  const started = Date.now();
  if (e2e) rmSync(e2e.report, { force: true });
  if (browser) {
    mkdirSync(BROWSER_RESULTS, { recursive: true });
    rmSync(browser.result, { force: true });
  }
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...env, ...extraEnv } });
  results.push({ name, ok: r.status === 0, seconds: (Date.now() - started) / 1000, detail: browser ? browserDetail(browser) : e2e ? e2eDetail(e2e) : undefined });
}

console.log('\n━━ summary ━━');
for (const r of results) console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name} (${r.detail ? `${r.detail}; ` : ''}${r.seconds.toFixed(1)} s)`);
const passed = results.filter((r) => r.ok).length;
console.log(`steps: ${passed} passed, ${results.length - passed} failed`);
process.exit(passed === results.length ? 0 : 1);
