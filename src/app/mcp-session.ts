/**
 * One MCP connection from the page, through the official SDK client. Its requests go through
 * the service worker, which adds credentials; the page never has any.
 */
import {
  Client,
  InsufficientScopeError,
  SdkHttpError,
  StreamableHTTPClientTransport,
  type CallToolResult,
  type GetPromptResult,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type Tool,
} from '@modelcontextprotocol/client';

/** `?protocol=` on the app URL pins a revision; by default the client negotiates (2026-07-28 first). */
export type ProtocolChoice = 'auto' | '2025-11-25' | '2026-07-28';

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

export class McpSession {
  private client: Client | undefined;
  tools: Tool[] = [];
  resources: Resource[] = [];
  prompts: Prompt[] = [];

  constructor(
    readonly serverUrl: string,
    private readonly protocol: ProtocolChoice,
  ) {}

  get protocolVersion(): string | undefined {
    return this.client?.getNegotiatedProtocolVersion();
  }

  async open(): Promise<void> {
    await this.close();
    const client = new Client(
      { name: 'Keyhole', version: __KEYHOLE_VERSION__ },
      {
        versionNegotiation:
          this.protocol === 'auto' ? { mode: 'auto' } : { mode: this.protocol === '2025-11-25' ? 'legacy' : { pin: '2026-07-28' } },
      },
    );
    const transport = new StreamableHTTPClientTransport(new URL(this.serverUrl));
    try {
      await client.connect(transport);
      this.client = client;
      this.tools = (await client.listTools()).tools;
      // Listed only when the server says it has them (MCP capabilities negotiation).
      const caps = client.getServerCapabilities();
      if (caps?.resources) this.resources = (await client.listResources()).resources;
      if (caps?.prompts) this.prompts = (await client.listPrompts()).prompts;
    } catch (err) {
      this.client = undefined;
      await client.close().catch(() => {});
      throw toFailure(err);
    }
  }

  async callTool(
    name: string,
    args: Record<string, unknown>,
    options: { signal?: AbortSignal; onProgress?: (p: { progress: number; total?: number; message?: string }) => void } = {},
  ): Promise<CallToolResult> {
    try {
      return (await this.request((c) =>
        c.callTool(
          { name, arguments: args },
          {
            ...(options.signal ? { signal: options.signal } : {}),
            ...(options.onProgress ? { onprogress: options.onProgress, resetTimeoutOnProgress: true } : {}),
          },
        ),
      )) as CallToolResult;
    } catch (err) {
      if (options.signal?.aborted) throw new McpFailure('Cancelled.', 'protocol');
      throw err;
    }
  }

  readResource(uri: string): Promise<ReadResourceResult> {
    return this.request((c) => c.readResource({ uri }));
  }

  getPrompt(name: string, args: Record<string, string>): Promise<GetPromptResult> {
    return this.request((c) => c.getPrompt({ name, arguments: args }));
  }

  /** One request on the open session; any failure comes back as an McpFailure. */
  private async request<T>(run: (client: Client) => Promise<T>): Promise<T> {
    if (!this.client) throw new McpFailure('Not connected.', 'protocol');
    try {
      return await run(this.client);
    } catch (err) {
      throw toFailure(err);
    }
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (c) await c.close().catch(() => {});
  }
}

function toFailure(err: unknown): McpFailure {
  if (err instanceof InsufficientScopeError) return new McpFailure('The server needs more permission for this.', 'auth', 403);
  if (err instanceof SdkHttpError) {
    const status = (err.data as { status?: number } | undefined)?.status;
    if (status === 401 || status === 403) return new McpFailure(`The server answered ${status}.`, 'auth', status);
    return new McpFailure(`The MCP server answered HTTP ${status ?? '?'}: ${err.message}`, 'protocol');
  }
  if (err instanceof TypeError) {
    return new McpFailure(
      'The MCP server could not be reached from the browser: it is down, or it does not allow this app’s origin with CORS ' +
        '(it must send Access-Control-Allow-Origin, allow the Authorization and MCP-Protocol-Version headers, and expose WWW-Authenticate and Mcp-Session-Id).',
      'network',
    );
  }
  return new McpFailure((err as Error)?.message ?? String(err), 'protocol');
}
