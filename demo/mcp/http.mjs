// The HTTP surface of the demo MCP server. In front of the MCP handlers sit, in order:
// Host validation (DNS rebinding), Origin validation and CORS, the access-token gate
// (auth-gate.mjs), then the routing between the two protocol revisions with the SDK's own
// `isLegacyRequest` predicate. /.well-known/oauth-protected-resource serves the RFC 9728
// metadata. Every request is recorded (`requests`) for tests, and the tool calls and
// completion requests that passed the gate with their params (call-records.mjs).

import http from 'node:http';
import { isLegacyRequest } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { recordCalls } from './call-records.mjs';
import { debug } from './debug.mjs';
import { createCors } from './cors.mjs';
import { DPOP_ALGS } from './dpop.mjs';
import { json, jsonRpcError } from './http-responses.mjs';

const ALLOWED_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * @typedef {object} RequestRecord
 * @property {string} method HTTP method
 * @property {string} path URL path (no query)
 * @property {number} status HTTP status of the response (0 until answered)
 * @property {number} time arrival time, ms since the epoch
 * @property {string} [mcpMethod] JSON-RPC method(s) of a POST body (comma-joined for a batch)
 * @property {boolean} [credentialed] whether an MCP request carried an Authorization header
 */

/**
 * The whole HTTP surface as a web-standard fetch handler.
 *
 * @param {object} options
 * @param {Set<string>} options.allowedOrigins exact origins allowed by CORS and by the Origin check on /mcp
 * @param {string} options.issuer authorization server issuer (named in the protected resource metadata)
 * @param {string} options.basicScope
 * @param {string} options.adminScope
 * @param {'allowed' | 'required' | 'off'} options.dpop
 * @param {boolean} options.useNonces
 * @param {{ resourceUrl: string, prmUrl: string }} options.site this server's URLs (known once it listens)
 * @param {string[]} options.authorizations filled with every Authorization header value received on /mcp
 * @param {RequestRecord[]} options.requests filled with every request received
 * @param {import('./call-records.mjs').ToolCallRecord[]} options.toolCalls filled with every accepted tools/call
 * @param {import('./call-records.mjs').CompletionRecord[]} options.completions filled with every accepted completion/complete
 * @param {ReturnType<typeof import('./auth-gate.mjs').createAuthGate>} options.gate
 * @param {ReturnType<typeof import('./revisions.mjs').createRevisionHandlers>} options.revisions
 * @param {ReturnType<typeof import('./tasks.mjs').createTasks>} [options.tasks] the Tasks extension's state (2026-07-28)
 * @returns {(request: Request) => Promise<Response>}
 */
export function createHttpFront({ allowedOrigins, issuer, basicScope, adminScope, dpop, useNonces, site, authorizations, requests, toolCalls, completions, gate, revisions, tasks }) {
  const { addCors, preflight } = createCors(allowedOrigins);
  const { authenticate, currentNonce } = gate;
  const { modern, serveLegacy } = revisions;

  /**
   * @param {Request} request
   * @param {RequestRecord} record
   * @returns {Promise<Response>}
   */
  async function serveMcp(request, record) {
    const origin = request.headers.get('origin');
    if (origin !== null && !allowedOrigins.has(origin)) {
      return jsonRpcError(403, 'Forbidden: Origin not allowed');
    }

    const authorization = request.headers.get('authorization');
    if (authorization !== null) authorizations.push(authorization);
    record.credentialed = authorization !== null;

    // Read the body (from a clone: the SDK may still read the original).
    /** @type {unknown} */
    let parsedBody;
    if (request.method === 'POST') {
      try {
        const text = await request.clone().text();
        if (text) parsedBody = JSON.parse(text);
      } catch {
        parsedBody = undefined; // let the SDK answer the parse error
      }
      const methods = (Array.isArray(parsedBody) ? parsedBody : [parsedBody])
        .map((m) => (m && typeof m === 'object' && typeof m.method === 'string' ? m.method : undefined))
        .filter(Boolean);
      if (methods.length > 0) record.mcpMethod = methods.join(',');
    }

    const authInfo = await authenticate(request, authorization, parsedBody);
    if (authInfo instanceof Response) return authInfo;
    recordCalls(parsedBody, { toolCalls, completions }, request.headers);

    if (await isLegacyRequest(request, parsedBody)) return serveLegacy(request, parsedBody, authInfo);
    // The Tasks extension's methods and task-creating calls (tasks.mjs); everything else goes to the SDK.
    const taskAnswer = tasks?.answer(request, parsedBody, authInfo);
    if (taskAnswer) return taskAnswer;
    return modern.fetch(request, { authInfo, ...(parsedBody !== undefined && { parsedBody }) });
  }

  /**
   * @param {Request} request
   * @returns {Promise<Response>}
   */
  async function app(request) {
    const url = new URL(request.url);
    /** @type {RequestRecord} */
    const record = { method: request.method, path: url.pathname, status: 0, time: Date.now() };
    requests.push(record);

    /** @type {Response} */
    let response;
    try {
      response = await route(request, url, record);
    } catch (error) {
      debug('unhandled error:', error);
      response = jsonRpcError(500, 'Internal server error');
    }
    record.status = response.status;
    debug(record.method, record.path, record.mcpMethod ?? '', '->', record.status);
    return response;
  }

  /**
   * @param {Request} request
   * @param {URL} url
   * @param {RequestRecord} record
   * @returns {Promise<Response>}
   */
  async function route(request, url, record) {
    const hostname = url.hostname.startsWith('[') ? url.hostname : url.hostname.toLowerCase();
    if (!ALLOWED_HOSTNAMES.has(hostname)) return jsonRpcError(403, 'Forbidden: Host not allowed');

    const path = url.pathname;
    const origin = request.headers.get('origin');

    if (path === '/.well-known/oauth-protected-resource/mcp' || path === '/.well-known/oauth-protected-resource') {
      // Public metadata: readable from any origin.
      const cors = { 'Access-Control-Allow-Origin': '*' };
      if (request.method === 'OPTIONS') {
        return new Response(null, {
          status: 204,
          headers: { ...cors, 'Access-Control-Allow-Methods': 'GET, OPTIONS', 'Access-Control-Allow-Headers': '*' },
        });
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return json(405, { error: 'method_not_allowed' }, { ...cors, Allow: 'GET, OPTIONS' });
      }
      return json(
        200,
        {
          resource: site.resourceUrl,
          authorization_servers: [issuer],
          scopes_supported: [basicScope, adminScope],
          bearer_methods_supported: ['header'],
          resource_name: 'Keyhole demo MCP server',
          ...(dpop !== 'off' && { dpop_signing_alg_values_supported: DPOP_ALGS }),
          ...(dpop === 'required' && { dpop_bound_access_tokens_required: true }),
        },
        { ...cors, 'Cache-Control': 'no-store' },
      );
    }

    if (request.method === 'OPTIONS') return preflight(request);

    /** @type {Response} */
    let response;
    if (path === '/mcp') {
      response = await serveMcp(request, record);
    } else {
      response = json(404, { error: 'not_found' });
    }
    // Responses from the SDK may have immutable headers: rebuild.
    const headers = new Headers(response.headers);
    addCors(origin, headers);
    // A current nonce on every /mcp answer (RFC 9449 §9: the client uses the latest one it got).
    if (useNonces && path === '/mcp' && !headers.has('DPoP-Nonce')) headers.set('DPoP-Nonce', currentNonce());
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }

  return app;
}

/**
 * Serves a fetch handler on 127.0.0.1 with Node's HTTP server.
 *
 * @param {(request: Request) => Promise<Response>} app
 * @param {number} port 0 = pick a free port
 * @returns {Promise<http.Server>}
 */
export async function listen(app, port) {
  const nodeHandler = toNodeHandler({ fetch: app }, { onerror: (error) => debug('node adapter:', error.message) });
  const httpServer = http.createServer((req, res) => {
    // Node sends the status line and headers with the first body chunk. A
    // standalone GET event stream may stay silent for a long time, so flush
    // the headers of event streams at once.
    const writeHead = res.writeHead;
    res.writeHead = /** @type {typeof res.writeHead} */ (
      function (/** @type {any[]} */ ...args) {
        const result = writeHead.apply(res, /** @type {any} */ (args));
        const headers = args.find((a) => a && typeof a === 'object') ?? {};
        const contentType = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
        if (String(contentType ?? '').startsWith('text/event-stream')) res.flushHeaders();
        return result;
      }
    );
    void nodeHandler(req, res);
  });
  await new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, '127.0.0.1', () => {
      httpServer.off('error', reject);
      resolve(undefined);
    });
  });
  return httpServer;
}
