// Demo MCP server for Keyhole: a real MCP server built on the official
// TypeScript SDK v2 packages, acting as an OAuth 2.0 protected resource.
//
// One endpoint (`/mcp`) serves both protocol revisions (2026-07-28 stateless,
// 2025-11-25 with sessions), both built from one McpServer factory. The parts,
// under demo/mcp/:
//   - server-instance.mjs: one McpServer with everything below;
//     basic-tools.mjs (echo, add, slow-count, admin-report), content-tools.mjs
//     (order-form, sample-content, failing-tool), ask-tools.mjs (elicitation,
//     sampling, roots), notification-tools.mjs (log-burst, bump-counter,
//     toggle-extra-tool), resources.mjs, prompts.mjs, pagination.mjs (optional
//     `pageSize` for every list method), media.mjs (generated PNG / WAV);
//   - revisions.mjs: the 2026-07-28 handler and the 2025-11-25 sessions, and
//     the state they share (counter, extra tool);
//   - http.mjs: Host/Origin validation, CORS (cors.mjs), routing, the RFC 9728
//     metadata, the Node HTTP server;
//   - auth-gate.mjs: access tokens (Bearer, RFC 6750; DPoP, RFC 9449, see
//     dpop.mjs) validated by RFC 7662 introspection (introspection.mjs), and
//     the HTTP-layer scope check for `admin-report`.

import { createAuthGate } from './mcp/auth-gate.mjs';
import { debug } from './mcp/debug.mjs';
import { createHttpFront, listen } from './mcp/http.mjs';
import { createIntrospector } from './mcp/introspection.mjs';
import { createRevisionHandlers } from './mcp/revisions.mjs';
import { createTasks } from './mcp/tasks.mjs';

/** @typedef {import('./mcp/http.mjs').RequestRecord} RequestRecord */

/**
 * @typedef {object} McpServerHandle
 * @property {string} url `http://localhost:PORT/mcp`, also the RFC 8707 resource identifier
 * @property {number} port
 * @property {() => Promise<void>} close
 * @property {string[]} authorizations every Authorization header value received on /mcp, in order
 * @property {RequestRecord[]} requests every request received, in order
 * @property {import('./mcp/call-records.mjs').ToolCallRecord[]} toolCalls every tools/call that passed the
 *   token check, in order, with its arguments (a 2026-07-28 multi-round-trip retry is a record of its own)
 * @property {import('./mcp/call-records.mjs').CompletionRecord[]} completions every completion/complete that
 *   passed the token check, in order, with its ref, argument and context
 * @property {import('./mcp/tasks.mjs').TaskRequestRecord[]} taskRequests every tasks/get, tasks/update and
 *   tasks/cancel that passed the token check, in order, with its task id and Mcp-Name header
 */

/**
 * Start the demo MCP server.
 *
 * @param {object} options
 * @param {number} [options.port] 0 = pick a free port. Binds 127.0.0.1; URLs use `localhost`.
 * @param {string[]} [options.appOrigins] exact origins allowed by CORS (and by the Origin check on /mcp)
 * @param {string} options.issuer authorization server issuer; metadata at issuer + '/.well-known/oauth-authorization-server'
 * @param {{ clientId: string, clientSecret: string }} options.introspectionClient credentials for RFC 7662 introspection (client_secret_basic)
 * @param {{ basic?: string, admin?: string }} [options.scopes]
 * @param {'allowed' | 'required' | 'off'} [options.dpop] RFC 9449 sender-constrained tokens:
 *   'allowed' (default) takes DPoP-bound tokens with a proof and unbound tokens as Bearer;
 *   'required' takes DPoP-bound tokens only (PRM says `dpop_bound_access_tokens_required`);
 *   'off' takes unbound Bearer tokens only.
 * @param {boolean} [options.dpopNonce] demand a server-issued `nonce` in every DPoP proof (RFC 9449 §9)
 * @param {number} [options.pageSize] when set, `tools/list`, `resources/list`, `resources/templates/list` and
 *   `prompts/list` return at most this many items per page with an opaque `nextCursor` (default: no pagination)
 * @returns {Promise<McpServerHandle>}
 */
export async function startMcpServer({
  port = 0,
  appOrigins = [],
  issuer,
  introspectionClient,
  scopes = { basic: 'mcp:basic', admin: 'mcp:admin' },
  dpop = 'allowed',
  dpopNonce = false,
  pageSize = undefined,
} = /** @type {any} */ ({})) {
  if (!issuer) throw new TypeError('startMcpServer: issuer is required');
  if (pageSize !== undefined && !(Number.isSafeInteger(pageSize) && pageSize >= 1)) {
    throw new TypeError(`startMcpServer: pageSize must be a positive integer, not ${JSON.stringify(pageSize)}`);
  }
  if (!introspectionClient?.clientId) throw new TypeError('startMcpServer: introspectionClient is required');
  if (!['allowed', 'required', 'off'].includes(dpop)) {
    throw new TypeError(`startMcpServer: dpop must be 'allowed', 'required' or 'off', not ${JSON.stringify(dpop)}`);
  }
  const useNonces = Boolean(dpopNonce) && dpop !== 'off';
  const basicScope = scopes.basic ?? 'mcp:basic';
  const adminScope = scopes.admin ?? 'mcp:admin';
  const allowedOrigins = new Set(appOrigins);

  /** @type {string[]} */
  const authorizations = [];
  /** @type {RequestRecord[]} */
  const requests = [];
  /** @type {import('./mcp/call-records.mjs').ToolCallRecord[]} */
  const toolCalls = [];
  /** @type {import('./mcp/call-records.mjs').CompletionRecord[]} */
  const completions = [];

  // Filled in once the port is known.
  const site = { resourceUrl: '', prmUrl: '' };

  const introspect = createIntrospector({ issuer, introspectionClient, basicScope, site });
  const gate = createAuthGate({ dpop, useNonces, basicScope, adminScope, site, introspect });
  const revisions = createRevisionHandlers({ adminScope, pageSize });
  const tasks = createTasks();
  const app = createHttpFront({
    allowedOrigins, issuer, basicScope, adminScope, dpop, useNonces, site,
    authorizations, requests, toolCalls, completions, gate, revisions, tasks,
  });

  const httpServer = await listen(app, port);
  const address = httpServer.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  site.resourceUrl = `http://localhost:${actualPort}/mcp`;
  site.prmUrl = `http://localhost:${actualPort}/.well-known/oauth-protected-resource/mcp`;
  debug('listening on', site.resourceUrl);

  let closed = false;
  async function close() {
    if (closed) return;
    closed = true;
    await revisions.close();
    tasks.close();
    await new Promise((resolve) => {
      httpServer.close(() => resolve(undefined));
      httpServer.closeAllConnections();
    });
  }

  return { url: site.resourceUrl, port: actualPort, close, authorizations, requests, toolCalls, completions, taskRequests: tasks.taskRequests };
}
