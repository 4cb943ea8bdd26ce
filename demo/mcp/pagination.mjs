// Optional pagination of the list methods (MCP 2025-11-25 "Pagination": opaque cursors).

import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';

/** @typedef {import('@modelcontextprotocol/server').McpServer} McpServer */

/** List methods `paginate` pages, with the result member holding the items. */
const PAGINATED_LISTS = /** @type {const} */ ({
  'tools/list': 'tools',
  'resources/list': 'resources',
  'resources/templates/list': 'resourceTemplates',
  'prompts/list': 'prompts',
});

/**
 * Makes the list methods return at most `pageSize` items plus an opaque
 * `nextCursor`. Wraps the handlers McpServer installed (so listings stay
 * exactly what the SDK builds); a cursor that does not decode, or was minted
 * for another method, is refused with Invalid Params.
 *
 * @param {McpServer} server
 * @param {number} pageSize
 */
export function paginate(server, pageSize) {
  // The SDK keeps installed handlers in a private map; there is no public getter.
  const handlers = /** @type {Map<string, (request: unknown, ctx: unknown) => Promise<Record<string, unknown>>>} */ (
    /** @type {any} */ (server.server)._requestHandlers
  );
  for (const [method, member] of Object.entries(PAGINATED_LISTS)) {
    const original = handlers?.get(method);
    if (!original) continue;
    server.server.removeRequestHandler(method);
    server.server.setRequestHandler(/** @type {keyof typeof PAGINATED_LISTS} */ (method), async (request, ctx) => {
      const { cursor, ...params } = request.params ?? {};
      const offset = cursor === undefined ? 0 : decodeCursor(method, cursor);
      const full = await original({ jsonrpc: '2.0', id: 0, method, params }, ctx);
      const items = /** @type {unknown[]} */ (full[member] ?? []);
      const page = items.slice(offset, offset + pageSize);
      const next = offset + pageSize < items.length ? encodeCursor(method, offset + pageSize) : undefined;
      return /** @type {any} */ ({ ...full, [member]: page, ...(next !== undefined && { nextCursor: next }) });
    });
  }
}

/**
 * @param {string} method
 * @param {number} offset
 */
function encodeCursor(method, offset) {
  return Buffer.from(JSON.stringify({ m: method, o: offset })).toString('base64url');
}

/**
 * @param {string} method
 * @param {unknown} cursor
 * @returns {number}
 */
function decodeCursor(method, cursor) {
  /** @type {unknown} */
  let decoded;
  try {
    decoded = typeof cursor === 'string' && /^[A-Za-z0-9_-]+$/.test(cursor)
      ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
      : undefined;
  } catch {
    decoded = undefined;
  }
  const value = /** @type {{ m?: unknown, o?: unknown } | undefined} */ (decoded);
  if (!value || value.m !== method || !Number.isSafeInteger(value.o) || /** @type {number} */ (value.o) < 0) {
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Invalid cursor for ${method}`);
  }
  return /** @type {number} */ (value.o);
}
