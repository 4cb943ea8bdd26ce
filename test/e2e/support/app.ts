/**
 * The built app alone, for tests that bring their own servers (the hostile peer): `app` serves
 * dist/ on a free loopback port.
 */
import { DIST, test as base } from './guard.ts';
import { serveStatic } from '../../../scripts/static-server.mjs';

export const test = base.extend<{ app: { url: string; origin: string } }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure their first argument.
  app: async ({}, use) => {
    const app = await serveStatic({ root: DIST, port: 0 });
    await use(app);
    await app.close();
  },
});
