/**
 * The built app alone, for tests that bring their own servers (the hostile peer): `app` serves
 * dist/ on a free loopback port.
 */
import { DIST, test as base } from './guard.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '../../../scripts/static-server.mjs';
import { startSandboxSite } from '../../../demo/stack.mjs';

export const test = base.extend<{ app: { url: string; origin: string } }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure their first argument.
  app: async ({}, use) => {
    const app = await serveStatic({ root: DIST, port: 0 });
    await use(app);
    await app.close();
  },
});

/**
 * The MCP Apps sandbox site (`<dist>-sandbox/`) served at the URL the build named in
 * KEYHOLE_SANDBOX_URL, read back from the built page's CSP (`frame-src`): a loopback origin of its
 * own. A build without it has Apps off, and this fixture says how to build.
 */
export function builtSandboxOrigin(dist = DIST): string | undefined {
  const page = readFileSync(join(dist, 'index.html'), 'utf8');
  const frameSrc = /frame-src ([^;"]+)/.exec(page)?.[1]?.trim();
  return frameSrc && frameSrc !== "'none'" ? frameSrc : undefined;
}

// eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure their first argument.
export async function sandboxFixture({}, use: (sandbox: { url: string; origin: string }) => Promise<void>): Promise<void> {
  const origin = builtSandboxOrigin();
  if (!origin) throw new Error(`${DIST}/ was built without MCP Apps: build with KEYHOLE_SANDBOX_URL=http://localhost:4190/ npm run build`);
  const site = await startSandboxSite({ root: `${DIST}-sandbox`, port: Number(new URL(origin).port) });
  await use({ url: site.url, origin: site.origin });
  await site.close();
}
