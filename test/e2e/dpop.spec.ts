/**
 * DPoP (RFC 9449) with the demo stack's default settings: tokens bound to a non-extractable key
 * held by the worker, persisted by default, useless to a thief.
 */
import * as jose from 'jose';
import {
  authorizationRequests,
  callTool,
  card,
  connect,
  expect,
  expectState,
  readIndexedDb,
  stopServiceWorkers,
  test,
  type Env,
  fillArguments,
  openTool,
} from './support/keyhole.ts';

interface StoredTokens {
  tokenType: string;
  accessToken: string;
  refreshToken?: string;
  clientId: string;
  jkt?: string;
}

/** A DPoP proof signed by a key of the thief's own (RFC 9449 §4.2). */
async function foreignProof(htm: string, htu: string, accessToken?: string): Promise<string> {
  const { privateKey, publicKey } = await jose.generateKeyPair('ES256');
  const claims: Record<string, unknown> = { htm, htu, jti: crypto.randomUUID() };
  if (accessToken) {
    claims.ath = jose.base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken))));
  }
  return new jose.SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await jose.exportJWK(publicKey) })
    .setIssuedAt()
    .sign(privateKey);
}

function mcpCall(env: Env, authorization: string, dpop?: string): Promise<Response> {
  return fetch(env.stack.mcp.url, {
    method: 'POST',
    headers: {
      authorization,
      ...(dpop ? { dpop } : {}),
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/list',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/list',
      params: {
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    }),
  });
}

test('DPoP-bound by default, persisted, and kept across a stopped worker without a new authorization', async ({ page, env }) => {
  const url = env.stack.mcp.url;
  await connect(page, env);
  await expect(card(page, url).locator('dd', { hasText: 'DPoP-bound' })).toBeVisible();
  await expect(card(page, url).locator('dd', { hasText: 'bound to a key that cannot leave it' })).toBeVisible();
  const db = await readIndexedDb(page);
  expect(db.tokens).toHaveLength(1);
  expect((db.tokens![0] as StoredTokens).tokenType).toBe('dpop');
  expect(db.dpopKeys).toHaveLength(1);

  await stopServiceWorkers(page);
  await expect(await callTool(page, env, 'echo', { text: 'after stop' })).toHaveText('after stop');
  await expectState(page, url, 'connected');
  expect(authorizationRequests(env)).toBe(1);
  expect(env.stack.mcp.authorizations.length).toBeGreaterThan(0);
  for (const a of env.stack.mcp.authorizations) expect(a).toMatch(/^DPoP /);
});

test('the key in IndexedDB, read from page code, is not extractable and cannot be exported', async ({ page, env }) => {
  await connect(page, env);
  const facts = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const r = indexedDB.open('keyhole');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const rec = await new Promise<{ keyPair: CryptoKeyPair }>((ok, fail) => {
      const r = db.transaction('dpopKeys').objectStore('dpopKeys').getAll();
      r.onsuccess = () => ok(r.result[0]);
      r.onerror = () => fail(r.error);
    });
    const exported = await crypto.subtle.exportKey('jwk', rec.keyPair.privateKey).then(
      () => 'exported',
      (e: Error) => e.name,
    );
    return {
      extractable: rec.keyPair.privateKey.extractable,
      algorithm: (rec.keyPair.privateKey.algorithm as EcKeyAlgorithm).namedCurve,
      exported,
    };
  });
  expect(facts).toEqual({ extractable: false, algorithm: 'P-256', exported: 'InvalidAccessError' });
});

test('stolen tokens are refused outside the browser, as Bearer and with a proof from another key', async ({ page, env }) => {
  await connect(page, env);
  // What a script of this origin can read (RFC 10017 §8.2): the persisted tokens.
  const stolen = ((await readIndexedDb(page)).tokens as StoredTokens[])[0]!;
  expect(stolen.tokenType).toBe('dpop');
  expect(stolen.refreshToken).toBeTruthy();

  // The access token replayed at the MCP server.
  expect((await mcpCall(env, `Bearer ${stolen.accessToken}`)).status).toBe(401);
  const withForeignKey = await mcpCall(env, `DPoP ${stolen.accessToken}`, await foreignProof('POST', env.stack.mcp.url, stolen.accessToken));
  expect(withForeignKey.status).toBe(401);
  expect(withForeignKey.headers.get('www-authenticate')).toMatch(/DPoP error="(invalid_token|invalid_dpop_proof)"/);
  // The token itself is still good in the browser: only the thief is refused.
  await expect(await callTool(page, env, 'echo', { text: 'still mine' })).toHaveText('still mine');

  // The refresh token replayed at the authorization server.
  const meta = (await (await fetch(`${env.stack.auth.issuer}/.well-known/oauth-authorization-server`)).json()) as { token_endpoint: string };
  const refresh = (dpop?: string) =>
    fetch(meta.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(dpop ? { dpop } : {}) },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: stolen.refreshToken!, client_id: stolen.clientId }),
    });
  const bare = await refresh();
  expect(bare.status).toBe(400);
  const foreign = await refresh(await foreignProof('POST', meta.token_endpoint));
  expect(foreign.status).toBe(400);
  expect(((await foreign.json()) as { error: string }).error).toMatch(/invalid_grant|invalid_dpop_proof/);
});

test('a key swapped in IndexedDB is never used: the connection asks for authorization again', async ({ page, env }) => {
  const url = env.stack.mcp.url;
  await connect(page, env);
  // A script of this origin replaces the private key, keeping the recorded thumbprint.
  await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const r = indexedDB.open('keyhole');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const store = () => db.transaction('dpopKeys', 'readwrite').objectStore('dpopKeys');
    const rec = await new Promise<{ key: string; jkt: string; keyPair: CryptoKeyPair }>((ok) => {
      const r = store().getAll();
      r.onsuccess = () => ok(r.result[0]);
    });
    const keyPair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    await new Promise((ok) => {
      const r = store().put({ ...rec, keyPair });
      r.onsuccess = ok;
    });
  });
  // The running worker holds the real key in memory and may still finish the app's own requests
  // with it; the next worker reads the store, so what it sends after this point is what counts.
  await stopServiceWorkers(page);
  const sentBefore = env.stack.mcp.authorizations.length;
  const item = await openTool(card(page, url), 'echo');
  await fillArguments(item, 'echo', { text: 'with a swapped key' });
  await item.getByRole('button', { name: 'Call echo', exact: true }).click();
  await expectState(page, url, 'needs-authorization');
  await card(page, url).getByText(/Authorization timeline/).click();
  await expect(card(page, url).getByText(/stored DPoP key does not match/).first()).toBeVisible();
  // Nothing was signed with the swapped key: no credentialed request reached the server from the worker that read it.
  expect(sentBefore).toBeGreaterThan(0);
  expect(env.stack.mcp.authorizations.length).toBe(sentBefore);
});

test.describe('downgrade', () => {
  test.use({ downgradeDpop: true });
  test('an authorization server that answers a DPoP request with Bearer is shown as a downgrade and gets the Bearer policy', async ({
    page,
    env,
  }) => {
    const url = env.stack.mcp.url;
    await connect(page, env);
    await expect(card(page, url).getByText(/^Downgrade: Keyhole asked for a DPoP-bound token/)).toBeVisible();
    await expect(card(page, url).locator('dd', { hasText: /^Bearer/ })).toBeVisible();
    await expect(card(page, url).locator('dd', { hasText: 'Kept only in the service worker’s memory' })).toBeVisible();
    const db = await readIndexedDb(page);
    // Not stored as if it were bound: no token on disk (Keep me signed in is off), no key kept.
    expect(db.tokens).toEqual([]);
    expect(db.dpopKeys).toEqual([]);
    await expect(await callTool(page, env, 'echo', { text: 'as bearer' })).toHaveText('as bearer');
    for (const a of env.stack.mcp.authorizations) expect(a).toMatch(/^Bearer /);
  });
});
