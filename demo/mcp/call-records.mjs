// What tests can see of the MCP calls the server accepted: each `tools/call` with its
// arguments, and each `completion/complete` with its params. Recorded from the JSON-RPC body
// once the access token passed (refused requests show only in `requests`), for both protocol
// revisions alike.

/**
 * @typedef {object} ToolCallRecord
 * @property {string} name the tool called
 * @property {Record<string, unknown> | undefined} arguments `params.arguments` as sent
 * @property {number} time arrival time, ms since the epoch
 * @property {boolean} [retry] true on a 2026-07-28 multi-round-trip retry (it carries `inputResponses` or `requestState`)
 * @property {string} [requestState] the `requestState` a retry echoed, as received
 * @property {string[]} [inputResponses] the keys of a retry's `inputResponses`
 * @property {Record<string, string>} [paramHeaders] the `Mcp-Param-*` headers of the request (lower-case names), as received
 */

/**
 * @typedef {object} CompletionRecord
 * @property {{ type: string, name?: string, uri?: string }} ref `ref/prompt` with `name`, or `ref/resource` with `uri`
 * @property {{ name: string, value: string }} argument the argument being completed and what was typed
 * @property {{ arguments?: Record<string, string> } | undefined} context already filled arguments, if sent
 * @property {number} time arrival time, ms since the epoch
 */

/**
 * @param {unknown} parsedBody a JSON-RPC message or batch
 * @param {{ toolCalls: ToolCallRecord[], completions: CompletionRecord[] }} records appended to
 * @param {Headers} [headers] the HTTP request's headers (for `Mcp-Param-*`)
 */
export function recordCalls(parsedBody, { toolCalls, completions }, headers) {
  const time = Date.now();
  /** @type {Record<string, string>} */
  const paramHeaders = {};
  headers?.forEach((value, name) => {
    if (name.startsWith('mcp-param-')) paramHeaders[name] = value;
  });
  for (const message of Array.isArray(parsedBody) ? parsedBody : [parsedBody]) {
    if (!message || typeof message !== 'object') continue;
    const { method, params } = /** @type {{ method?: unknown, params?: any }} */ (message);
    if (method === 'tools/call' && typeof params?.name === 'string') {
      toolCalls.push({
        name: params.name,
        arguments: params.arguments,
        time,
        ...((params.inputResponses !== undefined || params.requestState !== undefined) && { retry: true }),
        ...(typeof params.requestState === 'string' && { requestState: params.requestState }),
        ...(params.inputResponses && typeof params.inputResponses === 'object' && { inputResponses: Object.keys(params.inputResponses) }),
        ...(Object.keys(paramHeaders).length > 0 && { paramHeaders }),
      });
    } else if (method === 'completion/complete' && params?.ref && params.argument) {
      completions.push({ ref: params.ref, argument: params.argument, context: params.context, time });
    }
  }
}
