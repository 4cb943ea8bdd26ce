/**
 * What an MCP request asks for, as the worker's rules need it: the JSON-RPC method decides its
 * timer and bookkeeping (proxy.ts), and the operation (`tools/call echo`) is what a step-up or a
 * refused token is counted against.
 *
 * The method comes from the `Mcp-Method` header when the page's SDK sent one (SEP-2243, protocol
 * 2026-07-28; a server refuses a request whose header and body disagree), so the body is parsed
 * only when the header is missing or the operation is asked for (a refusal, a step-up, a wait for
 * one). Parsing every body held each request back: about 35 µs for a small call, measured in the
 * worker between a fetch event and its request leaving, and far more for a call whose arguments
 * run to megabytes.
 */
export interface Operation {
  /** The JSON-RPC method (`tools/call`), or the HTTP method for a request without a body. */
  readonly method: string;
  /** `tools/call echo`, `resources/read demo://x`: the method with the name or URI it acts on. */
  readonly described: string;
}

const decoder = new TextDecoder();

/** `tools/call echo`, `resources/read demo://x`; `request` for a body that is not one JSON-RPC request. */
export function describeOperation(body: ArrayBuffer): string {
  try {
    const msg = JSON.parse(decoder.decode(body)) as { method?: unknown; params?: { name?: unknown; uri?: unknown } };
    const name = msg.params?.name ?? msg.params?.uri;
    return typeof msg.method === 'string' ? `${msg.method}${typeof name === 'string' ? ` ${name}` : ''}` : 'request';
  } catch {
    return 'request';
  }
}

/**
 * The operation of a request with HTTP method `httpMethod`, header `Mcp-Method` `mcpMethod` (null
 * when absent) and `body`. Without the header, `method` is the described operation, as anchored
 * method patterns match both alike.
 */
export function operationOf(httpMethod: string, mcpMethod: string | null, body: ArrayBuffer | undefined): Operation {
  if (!body) return { method: httpMethod, described: httpMethod };
  let described: string | undefined;
  const describe = () => (described ??= describeOperation(body));
  return {
    method: mcpMethod || describe(),
    get described() {
      return describe();
    },
  };
}
