/**
 * One MCP connection from the page, through the official SDK client. Its requests go through
 * the service worker, which adds credentials; the page never has any.
 *
 * What the server asks of the person (elicitation, sampling) and what the person set up for it
 * (roots) go through `SessionHooks`, which the server card implements; what the server tells
 * (log messages, list and resource changes) comes back through the same hooks.
 */
import {
  Client,
  InsufficientScopeError,
  LOG_LEVEL_META_KEY,
  SdkHttpError,
  StreamableHTTPClientTransport,
  type CallToolResult,
  type CompleteResult,
  type CreateMessageRequest,
  type CreateMessageResult,
  type ElicitRequest,
  type ElicitResult,
  type GetPromptResult,
  type LoggingLevel,
  type Prompt,
  type PromptReference,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplateReference,
  type ResourceTemplateType as ResourceTemplate,
  type Root,
  type Tool,
} from '@modelcontextprotocol/client';
import { explainHtmlError, explainUnusableAnswer, isHtmlBody } from './explain-error.ts';
import { transportFetchOption } from './port-fetch.ts';
import type { NewHistoryEntry } from './history-store.ts';
import { WireLog } from './wire-log.ts';

/** How long set-up may take (discovery or initialize, and the list-change stream's acknowledgement). */
const CONNECT_TIMEOUT_MS = 30_000;

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

export interface LogEntry {
  at: number;
  level: LoggingLevel;
  logger?: string;
  data: unknown;
}

/** What the session needs from the person, and where it reports what the server says. */
export interface SessionHooks {
  /** A server request the person answers (MCP elicitation and sampling); rejects when refused. */
  elicit(params: ElicitRequest['params'], signal: AbortSignal): Promise<ElicitResult>;
  sample(params: CreateMessageRequest['params'], signal: AbortSignal): Promise<CreateMessageResult>;
  /** The roots the person set for this server. */
  roots(): Root[];
  log(entry: LogEntry): void;
  /** The lists changed (a list_changed notification was handled) or a subscribed resource did. */
  changed(what: 'lists' | { resource: string }): void;
  /** A call the person made finished (the card's history). */
  recorded?(call: CallRecord): void;
}

/** A finished call, for the history: what was asked, how long it took, what came back. */
export type CallRecord = NewHistoryEntry;

export class McpSession {
  private client: Client | undefined;
  tools: Tool[] = [];
  resources: Resource[] = [];
  templates: ResourceTemplate[] = [];
  prompts: Prompt[] = [];
  /** Resources this session is subscribed to (MCP resources/subscribe, or subscriptions/listen). */
  readonly subscribed = new Set<string>();
  private subscription: { close(): Promise<void> } | undefined;
  /**
   * Least severe log level the person wants. A developer tool shows everything by default. On
   * 2026-07-28 a server sends log messages only for requests that name a level in `_meta`.
   */
  private logLevel: LoggingLevel = 'debug';

  constructor(
    readonly serverUrl: string,
    private readonly protocol: ProtocolChoice,
    private readonly hooks: SessionHooks,
    readonly wire: WireLog,
  ) {}

  get protocolVersion(): string | undefined {
    return this.client?.getNegotiatedProtocolVersion();
  }

  get capabilities() {
    return this.client?.getServerCapabilities();
  }

  /** The server's name, version and icons as it introduced itself. */
  get serverInfo(): { name?: string; title?: string; icons?: { src: string; mimeType?: string }[] } | undefined {
    return this.client?.getServerVersion() as { name?: string; title?: string; icons?: { src: string; mimeType?: string }[] } | undefined;
  }

  async open(): Promise<void> {
    await this.close();
    const refresh =
      <T>(set: (items: T[]) => void) =>
      (error: Error | null, items: T[] | null) => {
        if (error || !items) return;
        set(items);
        this.hooks.changed('lists');
      };
    const client = new Client(
      { name: 'Keyhole', version: __KEYHOLE_VERSION__ },
      {
        versionNegotiation:
          this.protocol === 'auto' ? { mode: 'auto' } : { mode: this.protocol === '2025-11-25' ? 'legacy' : { pin: '2026-07-28' } },
        capabilities: {
          // Both elicitation modes (MCP 2025-11-25 "elicitation"); sampling and roots answer
          // servers of the revisions that still use them.
          elicitation: { form: {}, url: {} },
          sampling: {},
          roots: { listChanged: true },
        },
        // The SDK refetches a list (every page) when the server says it changed.
        listChanged: {
          tools: { onChanged: refresh<Tool>((t) => (this.tools = t)) },
          prompts: { onChanged: refresh<Prompt>((p) => (this.prompts = p)) },
          resources: { onChanged: refresh<Resource>((r) => (this.resources = r)) },
        },
      },
    );
    client.setRequestHandler('elicitation/create', (request, ctx) => this.hooks.elicit(request.params, ctx.mcpReq.signal));
    client.setRequestHandler('sampling/createMessage', (request, ctx) => this.hooks.sample(request.params, ctx.mcpReq.signal));
    client.setRequestHandler('roots/list', () => ({ roots: this.hooks.roots() }));
    client.setNotificationHandler('notifications/message', (n) => {
      const { level, logger, data } = n.params;
      this.hooks.log({ at: Date.now(), level, data, ...(logger ? { logger } : {}) });
    });
    client.setNotificationHandler('notifications/resources/updated', (n) => this.hooks.changed({ resource: n.params.uri }));
    const transport = new StreamableHTTPClientTransport(new URL(this.serverUrl), transportFetchOption());
    this.wire.attach(transport);
    try {
      // Bounded like the worker bounds set-up requests: this includes the acknowledgement of the
      // list-change stream the SDK opens on 2026-07-28, which a server (or a buffering proxy in
      // front of it) may never send; the session then works without live list updates.
      await client.connect(transport, { timeout: CONNECT_TIMEOUT_MS });
      this.client = client;
      // Lists are walked page by page by the SDK (nextCursor, MCP pagination), up to 64 pages.
      this.tools = (await client.listTools()).tools;
      // Listed only when the server says it has them (MCP capabilities negotiation).
      const caps = client.getServerCapabilities();
      if (caps?.resources) {
        this.resources = (await client.listResources()).resources;
        this.templates = (await client.listResourceTemplates().catch(() => ({ resourceTemplates: [] }))).resourceTemplates;
      }
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
    const tool = this.tools.find((t) => t.name === name);
    try {
      return await this.timed('tool', name, args, () => this.request((c) =>
        c.callTool(
          { name, arguments: args, ...this.logMeta(c) },
          {
            ...(tool ? { toolDefinition: tool } : {}),
            ...(options.signal ? { signal: options.signal } : {}),
            ...(options.onProgress ? { onprogress: options.onProgress, resetTimeoutOnProgress: true } : {}),
          },
        ),
      ) as Promise<CallToolResult>);
    } catch (err) {
      if (options.signal?.aborted) throw new McpFailure('Cancelled.', 'protocol');
      throw err;
    }
  }

  /** `record: false` for a read the person did not make (a followed resource re-read on a change). */
  readResource(uri: string, options: { record?: boolean } = {}): Promise<ReadResourceResult> {
    // Always ask the server: a person reading a resource wants what it says now.
    const read = () => this.request((c) => c.readResource({ uri, ...this.logMeta(c) }, { cacheMode: 'bypass' }));
    return options.record === false ? read() : this.timed('resource', uri, undefined, read);
  }

  getPrompt(name: string, args: Record<string, string>): Promise<GetPromptResult> {
    return this.timed('prompt', name, args, () => this.request((c) => c.getPrompt({ name, arguments: args, ...this.logMeta(c) })));
  }

  /** Whether the server offers argument completion (the `completions` capability, MCP server/utilities/completion). */
  get canComplete(): boolean {
    return !!this.capabilities?.completions;
  }

  /**
   * The server's suggestions for one argument of a prompt or one variable of a resource template
   * (`completion/complete`, through the SDK client's own `complete`). `contextArguments` are the
   * other arguments already filled in; `signal` drops a request nobody waits for any more.
   */
  complete(
    ref: PromptReference | ResourceTemplateReference,
    argument: { name: string; value: string },
    contextArguments?: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<CompleteResult['completion']> {
    return this.request(async (c) => {
      const params = { ref, argument, ...(contextArguments ? { context: { arguments: contextArguments } } : {}) };
      return (await c.complete(params, signal ? { signal } : undefined)).completion;
    });
  }

  /** Tells the server the roots changed (MCP roots, listChanged). */
  async rootsChanged(): Promise<void> {
    if (this.client) await this.client.sendRootsListChanged().catch(() => {});
  }

  /**
   * Asks the server to send log messages from `level` up: logging/setLevel on a 2025 session;
   * on 2026-07-28 the level goes with each request instead (logMeta).
   */
  async setLogLevel(level: LoggingLevel): Promise<void> {
    await this.request(async (c) => {
      if (c.getProtocolEra() !== 'modern') await c.setLoggingLevel(level);
    });
    this.logLevel = level;
  }

  /** The request `_meta` naming the log level, where the revision wants it there. */
  private logMeta(c: Client): { _meta?: Record<string, unknown> } {
    return c.getProtocolEra() === 'modern' && this.capabilities?.logging ? { _meta: { [LOG_LEVEL_META_KEY]: this.logLevel } } : {};
  }

  /**
   * Follows a resource: `resources/subscribe` on a 2025 session; on 2026-07-28 one
   * `subscriptions/listen` stream carries every followed resource, so it is opened again.
   */
  async subscribe(uri: string, on: boolean): Promise<void> {
    await this.request(async (c) => {
      if (c.getProtocolEra() === 'modern') {
        const next = new Set(this.subscribed);
        if (on) next.add(uri);
        else next.delete(uri);
        await this.subscription?.close();
        this.subscription = next.size ? await c.listen({ resourceSubscriptions: [...next] }) : undefined;
      } else if (on) await c.subscribeResource({ uri });
      else await c.unsubscribeResource({ uri });
    });
    if (on) this.subscribed.add(uri);
    else this.subscribed.delete(uri);
  }

  /**
   * Runs a call the person made and tells the history how it went. A call stopped by a 401/403
   * is not recorded: it runs again after the authorization, and that run is.
   */
  private async timed<T>(kind: CallRecord['kind'], target: string, args: Record<string, unknown> | undefined, run: () => Promise<T>): Promise<T> {
    const at = Date.now();
    const started = performance.now();
    const base = { at, kind, target, ...(args ? { args } : {}) };
    try {
      const result = await run();
      // A tool's own error (isError) is an answer: the history marks it from the result.
      this.hooks.recorded?.({ ...base, durationMs: performance.now() - started, outcome: 'ok', result });
      return result;
    } catch (err) {
      if (!(err instanceof McpFailure && err.kind === 'auth')) {
        this.hooks.recorded?.({ ...base, durationMs: performance.now() - started, outcome: 'error', error: (err as Error).message });
      }
      throw err;
    }
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
    const s = this.subscription;
    this.subscription = undefined;
    this.subscribed.clear();
    await s?.close().catch(() => {});
    if (c) await c.close().catch(() => {});
  }
}

function toFailure(err: unknown): McpFailure {
  if (err instanceof McpFailure) return err;
  if (err instanceof InsufficientScopeError) return new McpFailure('The server needs more permission for this.', 'auth', 403);
  // A web page (or anything else but JSON and event streams) where an MCP endpoint was expected.
  const unusable = explainUnusableAnswer(err);
  if (unusable) return new McpFailure(unusable, 'protocol');
  if (err instanceof SdkHttpError) {
    const { status, text } = (err.data as { status?: number; text?: unknown } | undefined) ?? {};
    if (status === 401 || status === 403) return new McpFailure(`The server answered ${status}.`, 'auth', status);
    if (isHtmlBody(text)) return new McpFailure(explainHtmlError(status), 'protocol');
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
