/**
 * The real demo stack (demo/stack.mjs) for unit tests that speak to it from Node, with one access
 * token obtained the way a client would (auto-approved consent). Started once per test file.
 */
import { afterAll, beforeAll } from 'vitest';
import { obtainToken } from '../../bench/token.mjs';
import { startDemoStack } from '../../demo/stack.mjs';

/** The app origin the demo servers allow, and the token's redirect URI lives under. */
export const APP_ORIGIN = 'http://localhost:4173';

type Stack = Awaited<ReturnType<typeof startDemoStack>>;

/** Registers the file's beforeAll/afterAll; the fields are there once the tests run. */
export function demoStackWithToken(): { readonly stack: Stack; readonly accessToken: string } {
  const live = {} as { stack: Stack; accessToken: string };
  beforeAll(async () => {
    live.stack = await startDemoStack({ appOrigins: [APP_ORIGIN], autoApprove: true });
    ({ accessToken: live.accessToken } = await obtainToken({ issuer: live.stack.auth.issuer, resource: live.stack.mcp.url, redirectUri: `${APP_ORIGIN}/callback` }));
  }, 30_000);
  afterAll(async () => {
    await live.stack?.close();
  });
  return live;
}
