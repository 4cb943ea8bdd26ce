/**
 * What the worker lets through (issue 7, hardening): credentials only for requests from the
 * app's own top-level pages and only of the shapes MCP uses; page requests to the authorization
 * server endpoints the worker manages are refused. And a control for the suite-wide guard that
 * fails any test during which a page reported a CSP or Trusted Types violation.
 */
import { card, connect, expect, test } from './support/keyhole.ts';

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 99,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'probe', version: '0' } },
});

test('the violation guard sees a Trusted Types violation (control)', async ({ page, env, cspViolations }) => {
  await page.goto(env.appUrl);
  await expect(page.locator('keyhole-app')).toBeAttached();
  const threw = await page.evaluate(() => {
    try {
      document.body.insertAdjacentHTML('beforeend', '<b>server text</b>');
      return false;
    } catch {
      return true;
    }
  });
  expect(threw, 'Trusted Types refuses a string where HTML goes').toBe(true);
  await expect.poll(() => cspViolations.length).toBe(1);
  expect(cspViolations[0]).toMatch(/^require-trusted-types-for /);
  // Seen, so this test's own guard has nothing left to fail on.
  cspViolations.length = 0;
});

test.describe('requests the worker does not credential', () => {
  test.describe('with the CSP lifted', () => {
    // The app's CSP (frame-src 'none') already forbids frames; this checks the worker's own
    // layer beneath it, as on a host that would serve a framable page of the origin. A frame on
    // the app's origin and scope is controlled by the worker, so its requests reach the fetch
    // handler (Chromium leaves about:blank frames uncontrolled, which would prove nothing).
    test.use({ bypassCSP: true });
    test('a request from a frame inside the app goes out without credentials', async ({ page, env }) => {
      await connect(page, env);
      const from = env.stack.mcp.requests.length;
      const status = await page.evaluate(
        async ({ url, body }) => {
          const frame = document.createElement('iframe');
          const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
          frame.src = new URL('framed-page.html', location.href).href;
          document.body.append(frame);
          await loaded;
          const w = frame.contentWindow as Window & typeof globalThis;
          if (!w.navigator.serviceWorker.controller) throw new Error('the frame is not controlled by the worker');
          const res = await w.fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
            body,
          });
          frame.remove();
          return res.status;
        },
        { url: env.stack.mcp.url, body: INITIALIZE },
      );
      expect(status, 'the server saw no credentials').toBe(401);
      // Only the frame's probe initializes here; the app's own requests meanwhile (listings, its
      // event stream) carry credentials as they should and are not what is checked.
      const probes = env.stack.mcp.requests.slice(from).filter((r: { mcpMethod?: string }) => r.mcpMethod === 'initialize');
      expect(probes.map((r: { credentialed?: boolean }) => r.credentialed), 'the probe reached the server, without Authorization').toEqual([false]);
      // The frame's 401 did not disturb the app's connection.
      await expect(card(page, env.stack.mcp.url)).toHaveAttribute('data-state', 'connected');
    });
  });

  test('a POST that is not JSON-RPC is refused before it leaves the browser', async ({ page, env }) => {
    await connect(page, env);
    const before = env.stack.mcp.requests.length;
    const answer = await page.evaluate(async (url) => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
      return { status: res.status, body: await res.text() };
    }, env.stack.mcp.url);
    expect(answer.status).toBe(415);
    expect(answer.body).toContain('application/json');
    // The app's own requests meanwhile (listings, its event stream) are JSON-RPC or GETs; the
    // refused one would be the only POST whose body is not JSON-RPC.
    const notJsonRpc = env.stack.mcp.requests.slice(before).filter((r: { method: string; mcpMethod?: string }) => r.method === 'POST' && r.mcpMethod === undefined);
    expect(notJsonRpc, 'non-JSON-RPC POSTs the MCP server received').toEqual([]);
  });

  test('page requests to the token and registration endpoints are refused', async ({ page, env }) => {
    await connect(page, env);
    const meta = (await (await fetch(`${env.stack.auth.issuer}/.well-known/oauth-authorization-server`)).json()) as Record<string, string>;
    for (const name of ['token_endpoint', 'registration_endpoint', 'revocation_endpoint']) {
      const endpoint = meta[name]!;
      const before = env.stack.auth.requests.length;
      const answer = await page.evaluate(async (url) => {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=authorization_code&code=x',
        });
        return { status: res.status, body: await res.text() };
      }, endpoint);
      expect(answer.status, name).toBe(403);
      expect(answer.body).toContain(name);
      expect(env.stack.auth.requests.length, `requests the authorization server received for ${name}`).toBe(before);
    }
  });
});
