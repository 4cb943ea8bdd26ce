/**
 * The Tasks extension and the MCP Apps host come with `import()` when they are needed
 * (src/app/tasks/task-support.ts, src/app/apps/app-view-loader.ts), not with the workbench: its
 * chunk holds none of ext-tasks' or ext-apps' code, each lives in a chunk of its own, and the
 * workbench reaches them only through dynamic imports. Builds the page for real (vite.config.ts)
 * into a temporary directory and reads every chunk.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PKG = join(ROOT, 'node_modules/@modelcontextprotocol');

/** String literals only each package's code holds (they survive minification). */
const MARKERS = {
  'ext-tasks': ['SDK Client cannot dispatch V2 task wire shapes', 'MCP client request failed'],
  'ext-apps': ['ui/notifications/tool-input-partial', 'ui/request-display-mode'],
} as const;

const out = mkdtempSync(join(tmpdir(), 'keyhole-lazy-build-'));
let chunks: { name: string; text: string }[] = [];
const chunk = (prefix: string) => chunks.find((c) => c.name.startsWith(`${prefix}-`));
const holds = (text: string, pkg: keyof typeof MARKERS) => MARKERS[pkg].some((m) => text.includes(m));

beforeAll(async () => {
  await build({ configFile: join(ROOT, 'vite.config.ts'), root: ROOT, logLevel: 'silent', build: { outDir: out, emptyOutDir: true } });
  chunks = readdirSync(join(out, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((name) => ({ name, text: readFileSync(join(out, 'assets', name), 'utf8') }));
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the extensions’ code loads when needed', () => {
  it('the markers are the packages’ own', () => {
    const tasks = readFileSync(join(PKG, 'ext-tasks/dist/client/sdk-client-adapter.js'), 'utf8');
    const apps = readFileSync(join(PKG, 'ext-apps/dist/src/app-bridge.js'), 'utf8');
    for (const m of MARKERS['ext-tasks']) expect(tasks.includes(m), m).toBe(true);
    for (const m of MARKERS['ext-apps']) expect(apps.includes(m), m).toBe(true);
  });

  it('ext-tasks is in the task runner’s chunk only', () => {
    expect(holds(chunk('task-runner')?.text ?? '', 'ext-tasks')).toBe(true);
    expect(chunks.filter((c) => holds(c.text, 'ext-tasks')).map((c) => c.name)).toEqual([chunk('task-runner')!.name]);
  });

  it('ext-apps is in the app view’s chunk only', () => {
    expect(holds(chunk('app-view')?.text ?? '', 'ext-apps')).toBe(true);
    expect(chunks.filter((c) => holds(c.text, 'ext-apps')).map((c) => c.name)).toEqual([chunk('app-view')!.name]);
  });

  it('zod is told jitless before any schema is built (Trusted Types; src/app/zod-jitless.ts)', () => {
    // The lazily loaded chunks reach zod by their own paths, which changes how the bundler orders
    // the workbench chunk's modules; zod builds its fast parsers' probe when a schema is made.
    const workbench = chunk('workbench-view')!;
    const configAt = workbench.text.indexOf('jitless:!0');
    expect(configAt, 'zod config({ jitless: true }) in the workbench chunk').toBeGreaterThan(-1);
    const firstSchema = workbench.text.search(/\.optional\(\)/);
    expect(firstSchema).toBeGreaterThan(-1);
    expect(configAt, 'the config call before the first schema').toBeLessThan(firstSchema);
    // The chunks the workbench imports statically run before it: none may build a schema.
    const statics = [...workbench.text.matchAll(/(?:from|import)\s*["'`]\.\/([\w.-]+\.js)["'`]/g)].map((m) => m[1]!);
    for (const name of statics) expect(/\.optional\(\)/.test(chunks.find((c) => c.name === name)?.text ?? ''), `a schema built in ${name}`).toBe(false);
  });

  it('the workbench imports both only dynamically', () => {
    const workbench = chunk('workbench-view');
    expect(workbench).toBeDefined();
    const runner = chunk('task-runner')!.name;
    const app = chunk('app-view')!.name;
    for (const name of [runner, app]) {
      // Vite writes a dynamic import as import("./x.js") (or through its preload helper's list);
      // a static one as `from "./x.js"` or a bare `import "./x.js"`.
      expect(workbench!.text).toContain(`./${name}`);
      expect(workbench!.text).not.toMatch(new RegExp(`(from|import)\\s*["']\\./${name.replace(/[.-]/g, '\\$&')}["']`));
    }
  });
});
