#!/usr/bin/env node
// Runs the MCP conformance suite's client scenarios against a built Keyhole.
//
//   node test/conformance/run.mjs [--only <scenario>[,<scenario>...]] [--revision <rev>]
//                                 [--list] [--no-serve] [--port 4173] [--timeout 60000]
//                                 [-o test-results/conformance] [--expected-failures <json>]
//
// Serves the built app (KEYHOLE_DIST, default dist/) once on http://localhost:<port>/,
// then runs every entry of scenarios.json serially, one conformance CLI call each:
//
//   node --import register.mjs --import cors-preload.mjs <conformance>/dist/index.js client
//        --command "exec node test/conformance/browser-client.mjs" --scenario <name>
//        --spec-version <rev> [--force] --timeout 60000 -o test-results/conformance
//
// and reads the verdict from the runner's exit code and checks.json. Entries in
// expected-failures.json that fail are XFAIL; if they pass they are STALE, which
// counts as a failure. The last line is "<passed> passed, <failed> failed"; the
// exit code is 1 if anything failed.
//
// Environment: KEYHOLE_DIST, KEYHOLE_APP_URL (with --no-serve), CHROME_PATH and
// the KEYHOLE_* driver settings (see browser-client.mjs) are passed through.
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const rel = (p) => path.relative(root, p) || '.';
const CLI = path.join(root, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
const CLIENT_COMMAND = 'exec node test/conformance/browser-client.mjs';

// ---------------------------------------------------------------- options
function parseArgs(argv) {
  const o = { only: [], revision: undefined, list: false, serve: true, port: 4173, timeout: 60000,
    output: 'test-results/conformance', expectedFailures: path.join(here, 'expected-failures.json') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (a.includes('=')) return a.slice(a.indexOf('=') + 1);
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    const name = a.split('=')[0];
    if (name === '--only') o.only.push(...val().split(',').filter(Boolean));
    else if (name === '--revision') o.revision = val();
    else if (name === '--port') o.port = Number(val());
    else if (name === '--timeout') o.timeout = Number(val());
    else if (name === '--output' || name === '-o') o.output = val();
    else if (name === '--expected-failures') o.expectedFailures = path.resolve(val());
    else if (a === '--list') o.list = true;
    else if (a === '--no-serve') o.serve = false;
    else if (a === '-h' || a === '--help') usage();
    else usage(`unknown option ${a}`);
  }
  return o;
}

function usage(err) {
  if (err) console.error(`run.mjs: ${err}`);
  console.error('usage: node test/conformance/run.mjs [--only s1,s2] [--revision 2025-11-25|2026-07-28] ' +
    '[--list] [--no-serve] [--port 4173] [--timeout 60000] [-o test-results/conformance] ' +
    '[--expected-failures test/conformance/expected-failures.json]');
  process.exit(err ? 2 : 0);
}

// ---------------------------------------------------------- static server
const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.webmanifest': 'application/manifest+json',
  '.map': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.jpg': 'image/jpeg', '.webp': 'image/webp', '.woff2': 'font/woff2', '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

function serveStatic(dir, port) {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname;
    try { pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch {
      res.writeHead(400).end();
      return;
    }
    let file = path.join(dir, pathname);
    if (!file.startsWith(dir + path.sep) && file !== dir) { res.writeHead(403).end(); return; }
    try { if (statSync(file).isDirectory()) file = path.join(file, 'index.html'); } catch { /* 404 below */ }
    let st;
    try { st = statSync(file); } catch { st = null; }
    if (!st?.isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const base = path.basename(file);
    const headers = {
      'Content-Type': MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': st.size,
      // The service worker script and the pages must always be revalidated.
      'Cache-Control': base === 'sw.js' || file.endsWith('.html') ? 'no-cache' : 'public, max-age=0',
    };
    res.writeHead(200, headers);
    if (req.method === 'HEAD') { res.end(); return; }
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e) => reject(e.code === 'EADDRINUSE'
      ? new Error(`port ${port} is in use; stop whatever serves it or pass --port/--no-serve`) : e));
    server.listen(port, () => resolve(server)); // all interfaces, like the suite's own servers
  });
}

// --------------------------------------------------------------- runner
function runCli(args, { env, onSpawn } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [
      '--import', path.join(here, 'register.mjs'),
      '--import', path.join(here, 'cors-preload.mjs'),
      CLI, ...args,
    ], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), signal, stdout, stderr }));
    child.on('error', (e) => resolve({ code: -1, stdout, stderr: `${stderr}\n${e.message}` }));
  });
}

async function listClientScenarios() {
  const r = await runCli(['list', '--client']);
  if (r.code !== 0) throw new Error(`conformance list --client failed:\n${r.stderr}`);
  return new Set([...r.stdout.matchAll(/^\s+- (\S+)/gm)].map((m) => m[1]));
}

// The runner prints "Results saved to <dir>"; fall back to the newest matching dir.
async function findResultDir(stderr, outDir, scenario, startedAt) {
  const m = stderr.match(/Results saved to (.+)$/m);
  if (m) return path.resolve(root, m[1].trim());
  const parent = path.join(outDir, path.dirname(scenario));
  const prefix = `${path.basename(scenario)}-`;
  try {
    const dirs = (await readdir(parent)).filter((d) => d.startsWith(prefix))
      .map((d) => path.join(parent, d)).filter((d) => statSync(d).mtimeMs >= startedAt - 1000);
    return dirs.sort().at(-1);
  } catch { return undefined; }
}

async function readChecks(dir) {
  if (!dir) return null;
  try { return JSON.parse(await readFile(path.join(dir, 'checks.json'), 'utf8')); } catch { return null; }
}

// What failed, as short ids: FAILURE/WARNING checks (duplicates collapsed) plus
// what the runner says about the client process.
function failureReasons(run, checks) {
  const reasons = [];
  const seen = new Set();
  for (const c of checks ?? []) {
    if (c.status !== 'FAILURE' && c.status !== 'WARNING') continue;
    const id = c.status === 'WARNING' ? `${c.id}(WARNING)` : c.id;
    if (!seen.has(id)) { seen.add(id); reasons.push(id); }
  }
  if (/Client timed out after/.test(run.stderr)) reasons.push('client-timeout');
  const exited = run.stderr.match(/CLIENT EXITED WITH ERROR \(code (-?\d+)\)/);
  if (exited) reasons.push(`client-exit-${exited[1]}`);
  if (!checks && !reasons.length) reasons.push(run.skipped ? 'skipped-by-runner' : 'no-checks.json');
  return reasons;
}

// ------------------------------------------------------------------ main
async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const manifest = JSON.parse(readFileSync(path.join(here, 'scenarios.json'), 'utf8'));
  const expected = JSON.parse(readFileSync(opts.expectedFailures, 'utf8'));
  const isExpected = (e) => expected.find((x) => x.scenario === e.scenario && (!x.revision || x.revision === e.revision));

  // The manifest must name real scenarios, and should account for all of them.
  const known = await listClientScenarios();
  const unknown = manifest.scenarios.filter((e) => !known.has(e.scenario)).map((e) => e.scenario);
  if (unknown.length) console.error(`warning: not in this suite version: ${[...new Set(unknown)].join(', ')}`);
  const accounted = new Set([...manifest.scenarios, ...manifest.excluded].map((e) => e.scenario));
  const unaccounted = [...known].filter((s) => !accounted.has(s));
  if (unaccounted.length) console.error(`warning: suite scenarios neither run nor excluded in scenarios.json: ${unaccounted.join(', ')}`);

  let plan = manifest.scenarios;
  if (opts.only.length) {
    const missing = opts.only.filter((s) => !plan.some((e) => e.scenario === s));
    if (missing.length) usage(`--only: not in scenarios.json: ${missing.join(', ')}`);
    plan = plan.filter((e) => opts.only.includes(e.scenario));
  }
  if (opts.revision) plan = plan.filter((e) => e.revision === opts.revision);
  if (!plan.length) usage('nothing to run');

  if (opts.list) {
    for (const e of plan) {
      console.log(`${e.scenario} ${e.revision}${e.force ? ' --force' : ''}${isExpected(e) ? ' (expected failure)' : ''}`);
    }
    return 0;
  }

  let server;
  let appUrl = process.env.KEYHOLE_APP_URL ?? `http://localhost:${opts.port}/`;
  if (opts.serve) {
    const dist = path.resolve(root, process.env.KEYHOLE_DIST ?? 'dist');
    if (!existsSync(path.join(dist, 'index.html'))) {
      console.error(`run.mjs: no built app in ${rel(dist)}/ (index.html missing). Build it first, e.g.\n` +
        '  KEYHOLE_CIMD_URL=https://conformance-test.local/client-metadata.json npm run build');
      return 2;
    }
    server = await serveStatic(dist, opts.port);
    appUrl = `http://localhost:${opts.port}/`;
    console.error(`serving ${rel(dist)}/ at ${appUrl}`);
  }

  const outDir = path.resolve(root, opts.output);
  await mkdir(outDir, { recursive: true });
  let current;
  const stop = (sig) => {
    console.error(`\n${sig}: stopping`);
    if (current?.pid) { try { process.kill(current.pid, 'SIGTERM'); } catch { /* gone */ } }
    server?.close();
    process.exit(130);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const counts = { PASS: 0, FAIL: 0, XFAIL: 0, STALE: 0 };
  const width = Math.max(...plan.map((e) => e.scenario.length));
  for (const entry of plan) {
    const args = ['client', '--command', CLIENT_COMMAND, '--scenario', entry.scenario,
      '--spec-version', entry.revision, ...(entry.force ? ['--force'] : []),
      '--timeout', String(opts.timeout), '-o', outDir];
    const t0 = Date.now();
    const run = await runCli(args, {
      env: { KEYHOLE_APP_URL: appUrl, KEYHOLE_SCREENSHOT_DIR: path.join(outDir, 'screenshots') },
      onSpawn: (c) => { current = c; },
    });
    current = undefined;
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    run.skipped = /^SKIPPED: /m.test(run.stdout);
    const dir = await findResultDir(run.stderr, outDir, entry.scenario, t0);
    const checks = await readChecks(dir);
    if (dir && existsSync(dir)) {
      await writeFile(path.join(dir, 'runner.txt'), `$ conformance ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}\nexit code: ${run.code}\n\n${run.stdout}${run.stderr}`);
    }

    const bad = (checks ?? []).some((c) => c.status === 'FAILURE' || c.status === 'WARNING');
    const passed = run.code === 0 && !run.skipped && checks !== null && !bad;
    const xf = isExpected(entry);
    const verdict = passed ? (xf ? 'STALE' : 'PASS') : (xf ? 'XFAIL' : 'FAIL');
    counts[verdict]++;

    let detail = '';
    if (!passed) {
      const reasons = failureReasons(run, checks);
      detail = ` ${reasons.join(', ') || `exit-${run.code}`}`;
      if (run.skipped) detail += ' (runner skipped it: add "force": true?)';
    }
    if (verdict === 'XFAIL') detail += ` [expected: ${xf.reason}]`;
    if (verdict === 'STALE') detail = ` passes but is listed in expected-failures.json (${xf.reason})`;
    console.log(`${verdict.padEnd(5)} ${entry.scenario.padEnd(width)} ${entry.revision} ${secs.padStart(5)}s${detail}` +
      (!passed && dir ? `  -> ${rel(dir)}` : ''));
  }

  server?.close();
  const passed = counts.PASS;
  const failed = counts.FAIL + counts.STALE;
  console.log(`\n${counts.PASS} PASS, ${counts.FAIL} FAIL, ${counts.XFAIL} XFAIL (expected), ${counts.STALE} STALE`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => { console.error(e); process.exit(1); });
