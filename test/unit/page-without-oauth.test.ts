/**
 * The built page carries none of the MCP SDK client's OAuth flow (the worker runs OAuth; the page
 * never does), and its first load carries no SDK at all (the workbench and the SDK come with
 * `import()`, workbench-view.ts). Builds the page for real (vite.config.ts) into a temporary
 * directory and reads every chunk.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutOAuth } from '../../scripts/page-without-sdk-oauth.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SDK_DIST = join(ROOT, 'node_modules/@modelcontextprotocol/client/dist');

/**
 * Text that only the SDK's OAuth functions hold: discoverOAuthProtectedResourceMetadata's
 * well-known path, exchangeAuthorization's grant type and verifier, pkce-challenge's own error.
 * (Names such as `exchangeAuthorization` do not survive minification; string literals do.)
 */
const OAUTH_MARKERS = ['oauth-protected-resource', 'authorization_code', 'code_verifier', 'Expected a length between 43 and 128'];
/** Text of the SDK client itself: none of it belongs in the first load. */
const SDK_MARKERS = ['server/discover', 'subscriptions/listen', 'notifications/tools/list_changed'];

const out = mkdtempSync(join(tmpdir(), 'keyhole-page-build-'));
let chunks: { name: string; text: string }[] = [];
let entry = '';

beforeAll(async () => {
  await build({ configFile: join(ROOT, 'vite.config.ts'), root: ROOT, logLevel: 'silent', build: { outDir: out, emptyOutDir: true } });
  chunks = readdirSync(join(out, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((name) => ({ name, text: readFileSync(join(out, 'assets', name), 'utf8') }));
  entry = /<script[^>]+src="\.\/assets\/([^"]+\.js)"/.exec(readFileSync(join(out, 'index.html'), 'utf8'))?.[1] ?? '';
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the built page', () => {
  it('the markers are the SDK’s own: each is in the OAuth code the SDK ships', () => {
    const sdk = readdirSync(SDK_DIST)
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => readFileSync(join(SDK_DIST, f), 'utf8'))
      .join('\n');
    const pkce = readFileSync(join(ROOT, 'node_modules/pkce-challenge/dist/index.browser.js'), 'utf8');
    for (const m of OAUTH_MARKERS) expect(sdk.includes(m) || pkce.includes(m), m).toBe(true);
    for (const m of SDK_MARKERS) expect(sdk.includes(m), m).toBe(true);
  });

  it('holds none of the SDK’s OAuth functions in any chunk, and still holds the SDK client', () => {
    expect(chunks.length).toBeGreaterThan(1);
    for (const { name, text } of chunks) for (const m of OAUTH_MARKERS) expect(text.includes(m), `${m} in ${name}`).toBe(false);
    // The lazy workbench does carry the client (else the test above proves nothing).
    expect(chunks.some(({ text }) => SDK_MARKERS.every((m) => text.includes(m)))).toBe(true);
  });

  it('loads the SDK only with the workbench: the entry chunk holds none of it', () => {
    const main = chunks.find((c) => c.name === entry);
    expect(main, `entry ${entry}`).toBeDefined();
    for (const m of SDK_MARKERS) expect(main!.text.includes(m), `${m} in the entry chunk`).toBe(false);
    expect(main!.text).toMatch(/import\(`?["'`]?\.\/workbench-view-[\w-]+\.js/);
  });
});

describe('withoutOAuth', () => {
  it('replaces the OAuth entry points of the SDK client’s module with stubs', () => {
    const code = 'import { a as Client, d as auth, c as adaptOAuthProvider, C as isOAuthClientProvider, k as resolveAuthorizationCallbackParams } from "./public-X.mjs";\nauth();';
    const result = withoutOAuth(code);
    expect(result).toContain('import { a as Client } from "./public-X.mjs";');
    expect(result).toContain('const isOAuthClientProvider = () => false;');
    expect(result).toMatch(/const auth = async \(\) => \{ throw new Error\(NO_OAUTH\); \};/);
  });

  it('fails the build when the SDK no longer imports them where expected', () => {
    expect(() => withoutOAuth('import { a as Client } from "./public-X.mjs";')).toThrow(/no longer imports auth/);
  });
});
