/**
 * A failed MCP exchange, in the page's three kinds. Its own module, free of the SDK: the card and
 * its tool calls tell an authorization stop from other failures before the SDK (loaded with the
 * workbench, see workbench-view.ts) has arrived.
 */
export class McpFailure extends Error {
  override name = 'McpFailure';
  constructor(
    message: string,
    /** `auth`: the worker's state explains it (401/403); `network`: nothing answered; `protocol`: anything else. */
    readonly kind: 'auth' | 'network' | 'protocol',
    /** For `auth`: 401 (authorization needed) or 403 (more scope needed). */
    readonly status?: number,
  ) {
    super(message);
  }
}
