// The MCP handlers behind /mcp, one per protocol revision, and the demo state they share:
//   - 2026-07-28 (stateless, per-request `_meta` envelope, `server/discover`,
//     `subscriptions/listen` change streams) through the SDK's
//     `createMcpHandler(factory, { legacy: 'reject' })`;
//   - 2025-11-25 (initialize handshake, `Mcp-Session-Id` sessions, GET stream, DELETE)
//     through one sessionful `WebStandardStreamableHTTPServerTransport` per session.
// Both build their `McpServer` from the same factory. Change notifications go to 2025-11-25
// sessions (GET stream) and to open 2026-07-28 `subscriptions/listen` streams (the
// handler's event bus).

import { randomUUID } from 'node:crypto';
import {
  WebStandardStreamableHTTPServerTransport,
  createMcpHandler,
  isInitializeRequest,
} from '@modelcontextprotocol/server';
import { debug } from './debug.mjs';
import { json, jsonRpcError } from './http-responses.mjs';
import { setExtraTool } from './notification-tools.mjs';
import { COUNTER_URI, subscribedResources } from './resources.mjs';
import { buildMcpServer } from './server-instance.mjs';

/** @typedef {import('@modelcontextprotocol/server').McpServer} McpServer */
/** @typedef {import('./server-instance.mjs').DemoState} DemoState */

/**
 * @param {{ adminScope: string, pageSize: number | undefined }} options
 */
export function createRevisionHandlers({ adminScope, pageSize }) {
  // State shared by every instance this server builds, on both revisions.
  let counter = 0;
  let extraEnabled = false;
  /** @type {DemoState} */
  const demo = {
    counter: () => counter,
    bumpCounter() {
      counter++;
      // 2025-11-25: sessions that sent resources/subscribe (delivered on the GET stream).
      for (const { server } of sessions.values()) {
        if (subscribedResources(server).has(COUNTER_URI)) {
          server.server.sendResourceUpdated({ uri: COUNTER_URI }).catch((error) => debug('resources/updated:', error.message));
        }
      }
      // 2026-07-28: open subscriptions/listen streams whose filter names the URI.
      modern.notify.resourceUpdated(COUNTER_URI);
      return counter;
    },
    extraEnabled: () => extraEnabled,
    toggleExtra() {
      extraEnabled = !extraEnabled;
      // 2025-11-25: each session's own instance changes (the SDK sends list_changed on it).
      for (const { server } of sessions.values()) setExtraTool(server, extraEnabled);
      // 2026-07-28: instances are per request (the factory reads the flag); tell listeners.
      modern.notify.toolsChanged();
      return extraEnabled;
    },
    ...(pageSize !== undefined && { pageSize }),
  };

  const factory = () => buildMcpServer({ admin: adminScope }, demo);

  /** 2026-07-28: stateless, one McpServer per request, built by the SDK entry. */
  const modern = createMcpHandler(factory, {
    legacy: 'reject',
    onerror: (error) => debug('modern handler:', error.message),
  });

  /** 2025-11-25: one transport + McpServer per session. */
  /** @type {Map<string, { transport: WebStandardStreamableHTTPServerTransport, server: McpServer, principal: string }>} */
  const sessions = new Map();

  /**
   * Who a session belongs to: later requests on it must come from the same
   * client and subject (the token itself may change, e.g. after a refresh or
   * a scope step-up).
   *
   * @param {import('@modelcontextprotocol/server').AuthInfo} authInfo
   */
  function principalOf(authInfo) {
    return JSON.stringify([authInfo.clientId, authInfo.extra?.sub ?? null]);
  }

  /**
   * @param {Request} request
   * @param {unknown} parsedBody
   * @param {import('@modelcontextprotocol/server').AuthInfo} authInfo
   * @returns {Promise<Response>}
   */
  async function serveLegacy(request, parsedBody, authInfo) {
    const sessionId = request.headers.get('mcp-session-id');
    const options = { authInfo, ...(parsedBody !== undefined && { parsedBody }) };
    if (sessionId) {
      const session = sessions.get(sessionId);
      if (!session || session.principal !== principalOf(authInfo)) {
        return json(404, { jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null });
      }
      return session.transport.handleRequest(request, options);
    }
    const isInit = request.method === 'POST' &&
      (Array.isArray(parsedBody) ? parsedBody.some((m) => isInitializeRequest(m)) : isInitializeRequest(parsedBody));
    if (!isInit) {
      return jsonRpcError(400, 'Bad Request: no valid Mcp-Session-Id (send initialize first, or use protocol 2026-07-28)');
    }
    const server = factory();
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, server, principal: principalOf(authInfo) });
        debug('session opened', id);
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
        debug('session deleted', id);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    transport.onerror = (error) => debug('legacy transport:', error.message);
    await server.connect(transport);
    return transport.handleRequest(request, options);
  }

  /** Ends every session and the stateless handler's streams. */
  async function close() {
    const closing = [...sessions.values()].map(({ transport }) => transport.close().catch(() => {}));
    sessions.clear();
    await Promise.all([...closing, modern.close().catch(() => {})]);
  }

  return { modern, serveLegacy, close };
}
