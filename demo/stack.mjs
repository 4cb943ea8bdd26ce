// The bundled demo stack: an oidc-provider authorization server and an MCP SDK server on
// loopback, wired to each other (audience, introspection) and to the app's origin (CORS).
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { startAuthServer } from './auth-server.mjs';
import { startMcpServer } from './mcp-server.mjs';
import { serveStatic } from '../scripts/static-server.mjs';

/** A free loopback port (the AS must know the MCP server's URL before either starts). */
export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (s.address());
      s.close(() => ok(port));
    });
  });
}

/**
 * @param {{ appOrigins: string[], autoApprove?: boolean, accessTokenTTL?: number, authPort?: number, mcpPort?: number, extraResources?: string[], bearerOnly?: boolean, downgradeDpop?: boolean, dpopNonce?: boolean, pageSize?: number, retries?: number }} options
 *   extraResources: more resource URIs the authorization server issues tokens for (test peers in front of the MCP server)
 *   bearerOnly: run both servers without DPoP (RFC 9449), so the Bearer path stays exercised
 *   downgradeDpop: tests only; the authorization server advertises DPoP but issues Bearer tokens
 *   dpopNonce: the MCP server demands DPoP nonces (RFC 9449 §9), rotating every minute
 *   pageSize: the MCP server paginates its list methods with this many items per page (default: off)
 */
export async function startDemoStack({ appOrigins, autoApprove = false, accessTokenTTL = 300, authPort, mcpPort, extraResources = [], bearerOnly = false, downgradeDpop = false, dpopNonce = false, pageSize, retries = 0 }) {
  const introspectionClient = { clientId: 'demo-mcp-resource-server', clientSecret: randomBytes(24).toString('base64url') };
  const mcpPortChosen = mcpPort ?? (await freePort());
  const resource = `http://localhost:${mcpPortChosen}/mcp`;
  const auth = await startAuthServer({
    port: authPort ?? 0,
    appOrigins,
    resources: [resource, ...extraResources].map((r) => ({ resource: r, scopes: ['mcp:basic', 'mcp:admin'] })),
    introspectionClient,
    autoApprove,
    accessTokenTTL,
    dpop: !bearerOnly,
    downgradeDpop,
  });
  let mcp;
  try {
    mcp = await startMcpServer({
      port: mcpPortChosen,
      appOrigins,
      issuer: auth.issuer,
      introspectionClient,
      dpop: bearerOnly ? 'off' : 'allowed',
      dpopNonce,
      pageSize,
    });
  } catch (err) {
    await auth.close();
    // The port picked for the MCP server was free when picked, but the system may hand it to the
    // authorization server (port 0) meanwhile: pick again.
    if (/** @type {{ code?: string }} */ (err).code === 'EADDRINUSE' && mcpPort === undefined && retries < 3) {
      return startDemoStack({ appOrigins, autoApprove, accessTokenTTL, authPort, mcpPort, extraResources, bearerOnly, downgradeDpop, dpopNonce, pageSize, retries: retries + 1 });
    }
    throw err;
  }
  if (mcp.url !== resource) throw new Error(`MCP server came up at ${mcp.url}, expected ${resource}`);
  return {
    auth,
    mcp,
    async close() {
      await Promise.allSettled([mcp.close(), auth.close()]);
    },
  };
}

/**
 * The MCP Apps sandbox proxy site (the build's `dist-sandbox/`) on its own loopback port: another
 * origin than the app's, as MCP Apps require (SEP-1865 "Sandbox proxy"). The app build names this
 * URL in KEYHOLE_SANDBOX_URL; its `_headers` are applied as a static host would.
 * @param {{ root: string, port: number }} options
 */
export function startSandboxSite({ root, port }) {
  return serveStatic({ root, port, headersFile: true });
}
