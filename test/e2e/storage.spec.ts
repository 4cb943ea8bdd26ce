/**
 * Storage under pressure (issue 6): the site's quota used up, set through DevTools
 * (Storage.overrideQuotaForOrigin) on Chromium's real IndexedDB. A refresh whose result cannot
 * be written keeps working from memory, says so, and leaves no rotated-away token on disk; an
 * authorization that cannot record its flow says why, and works once there is room again.
 */
import type { Page } from '@playwright/test';
import { addServer, callTool, card, connect, expect, expectState, readIndexedDb, test, type Env } from './support/keyhole.ts';

/**
 * Gives the app origin a 5 MB quota (DevTools: Storage.overrideQuotaForOrigin), before the app
 * first opens its database (Chromium keeps the quota a storage bucket had when first used). The
 * override holds while its DevTools session does.
 */
async function smallQuota(page: Page, env: Env): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: env.appOrigin, quotaSize: 5_000_000 });
  const { quota } = await cdp.send('Storage.getUsageAndQuota', { origin: env.appOrigin });
  expect(quota, 'the override took effect').toBe(5_000_000);
}

/** Fills what is left of the quota with another database of the site, as other data of the origin would. */
async function fillQuota(page: Page): Promise<void> {
  const refused = await page.evaluate(async () => {
    const open = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('filler', 1);
      req.onupgradeneeded = () => req.result.createObjectStore('s');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const put = (size: number) =>
      new Promise<boolean>((resolve) => {
        const tx = open.transaction('s', 'readwrite');
        tx.objectStore('s').put(new Uint8Array(size).map(() => Math.random() * 256), crypto.randomUUID());
        tx.oncomplete = () => resolve(true);
        tx.onabort = () => resolve(false);
      });
    let refusals = 0;
    for (let size = 1_000_000; size >= 512; size = Math.floor(size / 2)) {
      // Halving the piece each time the quota refuses one, down to half a kilobyte.
      while (await put(size));
    }
    for (let i = 0; i < 3; i++) if (!(await put(512))) refusals++;
    open.close();
    return refusals;
  });
  expect(refused, 'the quota is full').toBe(3);
}

/** Room again: the filler goes. */
async function freeQuota(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => (indexedDB.deleteDatabase('filler').onsuccess = resolve)));
}

test.describe('quota used up', () => {
  // Four-second tokens: due for refresh after two.
  test.use({ accessTokenTTL: 4 });

  test('a refresh whose tokens cannot be stored keeps the connection from memory and says so', async ({ page, env }) => {
    const url = env.stack.mcp.url;
    await smallQuota(page, env);
    await connect(page, env);
    expect((await readIndexedDb(page)).tokens).toHaveLength(1);
    await fillQuota(page);
    await page.waitForTimeout(2_200);
    await expect(await callTool(page, env, 'echo', { text: 'storage full' })).toHaveText('storage full');
    await expect(card(page, url).locator('.warning')).toContainText('Token kept in memory only: the browser refused to store more data for this site');
    await expectState(page, url, 'connected');
    // The old (now rotated) refresh token is not left on disk for a later worker to replay.
    expect((await readIndexedDb(page)).tokens).toEqual([]);
    await freeQuota(page);
  });
});

test('an authorization that cannot record its flow fails clearly, and works once there is room', async ({ page, env }) => {
  const url = env.stack.mcp.url;
  await smallQuota(page, env);
  await addServer(page, env);
  await expectState(page, url, 'needs-authorization');
  await fillQuota(page);
  await card(page, url).getByRole('button', { name: 'Authorize' }).click();
  await expect(card(page, url).getByRole('alert')).toContainText('Authorization request: the browser refused to store more data for this site');
  expect(env.stack.auth.requests.filter((r: { path: string }) => r.path === env.authorizePath)).toEqual([]);
  expect((await readIndexedDb(page)).flows).toEqual([]);

  await freeQuota(page);
  await card(page, url).getByRole('button', { name: 'Connect', exact: true }).click();
  await expectState(page, url, 'needs-authorization');
  await card(page, url).getByRole('button', { name: 'Authorize' }).click();
  await expectState(page, url, 'connected');
  await expect(await callTool(page, env, 'echo', { text: 'room again' })).toHaveText('room again');
});
