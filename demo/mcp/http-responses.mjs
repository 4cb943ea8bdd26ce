// Small HTTP response helpers for the demo MCP server's front.

/** @param {string} value */
export function quote(value) {
  return `"${value.replaceAll(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
export function json(status, body, headers = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

/**
 * @param {number} status
 * @param {string} message
 * @param {Record<string, string>} [headers]
 */
export function jsonRpcError(status, message, headers) {
  return json(status, { jsonrpc: '2.0', error: { code: -32000, message }, id: null }, headers);
}
