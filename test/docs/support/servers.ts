/**
 * Running the docs' nginx and Caddy configs for real: one way to start each, for the hosting and
 * the proxy snippet tests. A missing program fails with the command that installs it; it never skips.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export { freePort } from '../../../demo/stack.mjs';

export interface Running {
  base: string;
  stop: () => void;
}

/**
 * For the enclosing describe block: starts a server with `start` in a fresh temporary folder
 * before its tests, stops it and removes the folder after. Returns the running server.
 */
export function serveDuringTests(prefix: string, start: (dir: string) => Promise<Running>): () => Running {
  let running: Running | undefined;
  let dir = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    running = await start(dir);
  }, 20_000);
  afterAll(() => {
    running?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return () => running!;
}

/** Fails, saying how to install it, when `name` is not on this machine; `what` names the snippet. */
export function requireProgram(name: string, versionArg: string, what: string): void {
  if (spawnSync(name, [versionArg]).error) {
    throw new Error(`${name} is not installed, so ${what} cannot be tested. Install it (Debian/Ubuntu: sudo apt-get install -y ${name}), as .ci/run does.`);
  }
}

/** Replaces `from` with `to` in the snippet, failing when the snippet no longer has it. */
export function patch(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`The snippet no longer contains "${from}"; update this test.`);
  return text.replaceAll(from, to);
}

async function waitForHttp(url: string, proc: ChildProcess, log: () => string): Promise<void> {
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`exited with ${proc.exitCode}: ${log()}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((ok) => setTimeout(ok, 100));
    }
  }
  throw new Error(`did not answer at ${url} within 10 s: ${log()}`);
}

/**
 * Starts nginx in `dir` with `httpBody` inside its `http {}` block (logs, pid and temp files in
 * `dir`, so no root paths are needed) and waits until `base` answers.
 */
export async function startNginx(dir: string, httpBody: string, base: string, what: string): Promise<Running> {
  requireProgram('nginx', '-v', what);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${join(dir, t)};`).join('\n    ');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;\npid ${join(dir, 'nginx.pid')};\nerror_log ${join(dir, 'error.log')};\nevents {}\n` +
      `http {\n    access_log off;\n    ${temp}\n    ${httpBody}\n}\n`,
  );
  const proc = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: 'ignore' });
  await waitForHttp(base, proc, () => readFileSync(join(dir, 'error.log'), 'utf8'));
  return { base, stop: () => proc.kill('SIGQUIT') };
}

/** Starts Caddy in `dir` with `caddyfile` (admin endpoint off) and waits until `base` answers. */
export async function startCaddy(dir: string, caddyfile: string, base: string, what: string): Promise<Running> {
  requireProgram('caddy', 'version', what);
  writeFileSync(join(dir, 'Caddyfile'), `{\n\tadmin off\n}\n${caddyfile}`);
  let output = '';
  const proc = spawn('caddy', ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], {
    env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.on('data', (d) => (output += d));
  proc.stderr?.on('data', (d) => (output += d));
  await waitForHttp(base, proc, () => output);
  return { base, stop: () => proc.kill('SIGTERM') };
}
