/**
 * The built app alone, for tests that bring their own servers (the hostile peer): `app` serves
 * dist/ on a free loopback port.
 */
import { DIST, test as base } from './guard.ts';
import { serveStatic } from '../../../scripts/static-server.mjs';
import { serveBuiltSandbox } from '../../../scripts/sandbox-site.mjs';

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
 * KEYHOLE_SANDBOX_URL (scripts/sandbox-site.mjs, shared with the cross-browser suite). A build
 * without it has Apps off, and this fixture says how to build.
 */
// eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure their first argument.
export async function sandboxFixture({}, use: (sandbox: { url: string; origin: string }) => Promise<void>): Promise<void> {
  const site = await serveBuiltSandbox(DIST);
  await use({ url: site.url, origin: site.origin });
  await site.close();
}
