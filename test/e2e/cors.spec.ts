/**
 * CORS diagnostics (issue 5): when a request to an MCP server gets no answer at all, the card
 * says which header the server lacks, found by the worker's probes (src/sw/cors-diagnosis.ts),
 * against a peer whose MCP endpoint lacks each header in turn, and tells a dead server apart.
 */
import { test } from './support/app.ts';
import { card, expect, openAndConnect } from './support/keyhole.ts';
import { expectAccessible } from './support/a11y.ts';
import { startPeer } from './support/peer.mjs';

const cases: { lacks: string; mcpCors: { noAllowOrigin?: boolean; refuseHeaders?: string[] }; authorizeFirst: boolean | 'if asked'; says: RegExp }[] = [
  { lacks: 'Access-Control-Allow-Origin', mcpCors: { noAllowOrigin: true }, authorizeFirst: false, says: /answers, but not to this app: .*must carry Access-Control-Allow-Origin: http:\/\/localhost:\d+/ },
  // Whether a request before authorization names a revision depends on the SDK's revision
  // negotiation and its timing: the card may ask for authorization first, or fail first.
  { lacks: 'MCP-Protocol-Version in Access-Control-Allow-Headers', mcpCors: { refuseHeaders: ['mcp-protocol-version'] }, authorizeFirst: 'if asked', says: /preflight does not allow the MCP-Protocol-Version header/ },
  { lacks: 'Content-Type in Access-Control-Allow-Headers', mcpCors: { refuseHeaders: ['content-type'] }, authorizeFirst: false, says: /preflight does not allow the Content-Type header/ },
  // The first request carries no token and passes; the authorized ones need Authorization allowed.
  { lacks: 'Authorization in Access-Control-Allow-Headers', mcpCors: { refuseHeaders: ['authorization'] }, authorizeFirst: true, says: /preflight does not allow the Authorization header: Access-Control-Allow-Headers must list Authorization/ },
];

for (const c of cases) {
  test(`an MCP server lacking ${c.lacks}: the card names it, with a snippet`, async ({ page, app }) => {
    const peer = await startPeer({ appOrigin: app.origin, mcpCors: c.mcpCors });
    try {
      await openAndConnect(page, app.url, peer.url);
      const item = card(page, peer.url);
      if (c.authorizeFirst === true) {
        await expect(item).toHaveAttribute('data-state', 'needs-authorization', { timeout: 20_000 });
        await item.getByRole('button', { name: 'Authorize' }).click();
      }
      // The card's error as it stands once the failing request has shown; with 'if asked', the
      // card is authorized whenever it asks (a request meeting the 401 may land after one that
      // failed, and the state follows the last).
      let shown = '';
      await expect
        .poll(
          async () => {
            const state = await item.getAttribute('data-state');
            if (state === 'needs-authorization' && c.authorizeFirst === 'if asked') {
              await item.getByRole('button', { name: 'Authorize' }).click({ timeout: 2_000 }).catch(() => {});
            }
            shown = state === 'error' ? ((await item.getByRole('alert').textContent({ timeout: 1_000 }).catch(() => '')) ?? '') : '';
            return c.says.test(shown);
          },
          { timeout: 40_000, message: `the card names what ${c.lacks} breaks` },
        )
        .toBe(true);
      expect(shown).toMatch(/^MCP request: /);
      expect(shown).toContain('app.use(cors({');
      expect(shown).toContain('docs/operators.md');
      // A configuration error waits for the operator: no automatic retry.
      await expect(item.locator('[data-retry]')).toHaveCount(0);
      // The probes carried no token.
      expect(peer.requests.filter((r) => r.authorization && r.authorization !== 'Bearer keyhole-cors-probe' && r.path !== '/mcp')).toEqual([]);
    } finally {
      await peer.close();
    }
  });
}

test('an MCP server that is down: the card says nothing answered, and retries by itself', async ({ page, app }) => {
  const peer = await startPeer({ appOrigin: app.origin });
  const url = peer.url;
  await peer.close();
  await openAndConnect(page, app.url, url);
  const item = card(page, url);
  await expect(item).toHaveAttribute('data-state', 'error', { timeout: 20_000 });
  await expect(item.getByRole('alert')).toContainText(/could not be reached from the browser: nothing answered at http:\/\/localhost:\d+: the server is down/);
  await expect(item.locator('[data-retry]')).toContainText('tries again by itself');
});

// The OAuth endpoints are fetched by the worker too: a CORS refusal there is named the same way,
// with the endpoint, instead of the general "could not be reached".
const oauthCases: { endpoint: 'prm' | 'register' | 'token'; authorize: boolean; says: RegExp }[] = [
  { endpoint: 'prm', authorize: false, says: /Protected resource metadata at http:\/\/localhost:\d+\/\.well-known\/oauth-protected-resource\S*: http:\/\/localhost:\d+ answers, but not to this app: .*must carry Access-Control-Allow-Origin/ },
  { endpoint: 'register', authorize: true, says: /at http:\/\/localhost:\d+\/register: http:\/\/localhost:\d+ answers, but not to this app: .*Access-Control-Allow-Origin/ },
  { endpoint: 'token', authorize: true, says: /at http:\/\/localhost:\d+\/token: http:\/\/localhost:\d+ answers, but not to this app: .*Access-Control-Allow-Origin/ },
];

for (const c of oauthCases) {
  test(`an authorization server whose ${c.endpoint} endpoint lacks Access-Control-Allow-Origin: the card names the endpoint and the header`, async ({ page, app }) => {
    const peer = await startPeer({ appOrigin: app.origin, oauthCors: { [c.endpoint]: { noAllowOrigin: true } } });
    try {
      await openAndConnect(page, app.url, peer.url);
      const item = card(page, peer.url);
      if (c.authorize) {
        await expect(item).toHaveAttribute('data-state', 'needs-authorization', { timeout: 20_000 });
        await item.getByRole('button', { name: 'Authorize' }).click();
      }
      await expect(item).toHaveAttribute('data-state', 'error', { timeout: 30_000 });
      await expect(item.getByRole('alert')).toHaveText(c.says);
      await expect(item.getByRole('alert')).toContainText('docs/operators.md');
      await expect(item.locator('[data-retry]')).toHaveCount(0);
      // A card in the error state is a screen too.
      await expectAccessible(page, `error: ${c.endpoint} endpoint refuses CORS`);
    } finally {
      await peer.close();
    }
  });
}
