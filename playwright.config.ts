import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS } from './scripts/find-chromium.mjs';

// Chromium: CHROME_PATH (set by `npm test` after scripts/find-chromium.mjs looked), Debian's
// package, else Playwright's own browser.
const executablePath = process.env.CHROME_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export default defineConfig({
  testDir: 'test/e2e',
  globalSetup: './test/e2e/support/global-setup.ts',
  // Two cores: one browser at a time, each test with its own servers and a fresh profile.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  // Its own folder: Playwright empties outputDir at start, and test-results/conformance is the suite's.
  outputDir: 'test-results/e2e',
  use: {
    headless: true,
    launchOptions: { ...(executablePath ? { executablePath } : {}), args: CHROMIUM_ARGS },
    actionTimeout: 20_000,
    navigationTimeout: 30_000,
  },
});
