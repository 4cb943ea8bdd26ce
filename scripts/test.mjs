// `npm test`: everything that proves Keyhole works, in order, stopping at nothing so that one
// run reports every failing part. Exits non-zero if any step failed.
import { spawnSync } from 'node:child_process';
import { findChromium } from './find-chromium.mjs';

let chrome;
try {
  chrome = await findChromium();
} catch (err) {
  console.error(`\n${err.message}\n`);
  process.exit(1);
}
console.log(`Chromium: ${chrome ?? 'Playwright’s own'}`);
const env = { ...process.env, ...(chrome ? { CHROME_PATH: chrome } : {}) };

const steps = [
  ['types', 'npm', ['run', '--silent', 'typecheck']],
  ['lint', 'npm', ['run', '--silent', 'lint']],
  ['unit', 'npx', ['vitest', 'run']],
  ['build', 'npm', ['run', '--silent', 'build']],
  ['end-to-end', 'npx', ['playwright', 'test']],
  // Its own build: the client ID URL auth/basic-cimd expects (see package.json "conformance").
  ['conformance', 'npm', ['run', '--silent', 'conformance']],
];

const results = [];
for (const [name, cmd, args, extraEnv] of steps) {
  console.log(`\n━━ ${name} ━━`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...env, ...extraEnv } });
  results.push({ name, ok: r.status === 0, seconds: (Date.now() - started) / 1000 });
}

console.log('\n━━ summary ━━');
for (const r of results) console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name} (${r.seconds.toFixed(1)} s)`);
const passed = results.filter((r) => r.ok).length;
console.log(`steps: ${passed} passed, ${results.length - passed} failed`);
process.exit(passed === results.length ? 0 : 1);
