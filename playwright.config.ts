import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './scripts/find-chromium.mjs';

// CHROME_PATH, else Debian's /usr/bin/chromium, else Playwright's own build (scripts/find-chromium.mjs).
const executablePath = await findChromium();

export default defineConfig({
  testDir: 'test/e2e',
  // Fails at once, with the fix, when there is no built app to test.
  globalSetup: './test/e2e/support/global-setup.ts',
  // Two cores: one browser at a time; each test starts its own servers on free ports and gets a
  // fresh browser context (fresh profile: new service worker, empty IndexedDB).
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: true,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  // The JSON report lets `npm test` name the failed tests in its closing summary (scripts/test.mjs).
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  // Its own folder: Playwright empties outputDir at start, and test-results/conformance is the suite's.
  outputDir: 'test-results/e2e',
  use: {
    headless: true,
    launchOptions: { ...(executablePath ? { executablePath } : {}), args: CHROMIUM_ARGS },
    actionTimeout: 20_000,
    navigationTimeout: 30_000,
  },
});
