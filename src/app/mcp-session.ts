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
import { forgetDiscovery, rememberDiscovery, rememberedDiscovery, type PriorDiscovery } from './discovery-store.ts';
import { transportFetchOption } from './port-fetch.ts';
import type { NewHistoryEntry } from './history-store.ts';
import { excludedTools, type ExcludedTool } from './excluded-tools.ts';
import { paramHeaders } from './mcp-param-headers.ts';
import { assumeCompleteResults } from './result-type.ts';
import { McpFailure } from './mcp-failure.ts';
import { WireLog } from './wire-log.ts';
import type { TaskRunner } from './tasks/task-runner.ts';
import type { TaskStatusUpdate } from './tasks/task-status.ts';
import { hasUnfinishedTasks, speaksTasks, TASKS_EXTENSION } from './tasks/task-support.ts';
import { loadTaskRunner } from './tasks/task-runner-loader.ts';
import { attachTaskWire, taskHandoff, type TaskWire } from './tasks/task-wire.ts';
import { APP_MIME_TYPE, UI_EXTENSION } from './apps/app-tools.ts';

export { McpFailure };

/** How long set-up may take (discovery or initialize, and the list-change stream's acknowledgement). */
const CONNECT_TIMEOUT_MS = 30_000;

/** `?protocol=` on the app URL pins a revision; by default the client negotiates (2026-07-28 first). */
export type ProtocolChoice = 'auto' | '2025-11-25' | '2026-07-28';

const CLIENT_INFO = { name: 'Keyhole', version: __KEYHOLE_VERSION__ };
const CLIENT_CAPABILITIES = {
  // Both elicitation modes (MCP 2025-11-25 "elicitation"); sampling and roots answer
  // servers of the revisions that still use them.
  elicitation: { form: {}, url: {} },
  sampling: {},
  roots: { listChanged: true },
  // The Tasks extension (SEP-2663): a tool call may be answered with a task (tasks/).
  extensions: {
    [TASKS_EXTENSION]: {},
    // MCP Apps (SEP-1865 "Client<>Server Capability Negotiation"): servers may offer tools with apps.
    [UI_EXTENSION]: { mimeTypes: [APP_MIME_TYPE] },
  },
};

/** What a tool call reports while it runs: the server's progress, or the state of the task it became. */
export interface CallToolOptions {
  signal?: AbortSignal;
  onProgress?: (p: { progress: number; total?: number; message?: string }) => void;
  /** The call was answered with a task (the Tasks extension): its status and the server's status message. */
  onTask?: (s: TaskStatusUpdate) => void;
}

/** The lists a server may offer; tools are listed at open, the others when their tab first shows. */
export type ListKind = 'tools' | 'resources' | 'prompts';

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
  /** Tools the server listed that the SDK left out: their `x-mcp-header` annotation is invalid (SEP-2243). */
  excludedTools: ExcludedTool[] = [];
  resources: Resource[] = [];
  templates: ResourceTemplate[] = [];
  prompts: Prompt[] = [];
  /** The lists fetched so far (a tab shows a count only for these). */
  readonly listed = new Set<ListKind>();
  private readonly listing = new Map<ListKind, Promise<void>>();
  /** Resources this session is subscribed to (MCP resources/subscribe, or subscriptions/listen). */
  readonly subscribed = new Set<string>();
  /** 2026-07-28: the one subscriptions/listen stream (list changes and followed resources). */
  private subscription: { close(): Promise<void> } | undefined;
  /**
   * The Tasks extension on this connection (tasks/task-runner.ts), once its code is loaded: when
   * a task exists or the Tasks tab shows (ensureTasks).
   */
  tasks: TaskRunner | undefined;
  private tasksLoad: Promise<TaskRunner | undefined> | undefined;
  /** The runner's load ended (with a runner or not) on this connection. */
  private tasksSettled = false;
  /** The open connection's task wire (every 2026-07-28 connection has one; the runner dispatches through it). */
  private taskWire: TaskWire | undefined;
  /** Listen streams are replaced one at a time (a follow while the first one opens). */
  private listenQueue: Promise<void> = Promise.resolve();
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

  /**
   * Opens the session and lists the tools. A returning visit adopts the server's remembered
   * discovery (no `server/discover`, see discovery-store.ts); if that no longer holds, the first
   * request fails and the session negotiates afresh once. Resources and prompts are listed when
   * their tab first shows (ensureListed); the list-change stream opens after the tool list.
   */
  async open(): Promise<void> {
    const prior = this.protocol === '2025-11-25' ? undefined : rememberedDiscovery(this.serverUrl);
    const usable = prior && (prior.kind === 'modern' || this.protocol === 'auto') ? prior : undefined;
    try {
      await this.openWith(usable);
    } catch (err) {
      if (!usable || (err instanceof McpFailure && err.kind !== 'protocol')) throw err;
      forgetDiscovery(this.serverUrl);
      await this.openWith(undefined);
    }
    this.follow();
  }

  private async openWith(prior: PriorDiscovery | undefined): Promise<void> {
    await this.close();
    const client = new Client(
      CLIENT_INFO,
      {
        versionNegotiation:
          this.protocol === 'auto' ? { mode: 'auto' } : { mode: this.protocol === '2025-11-25' ? 'legacy' : { pin: '2026-07-28' } },
        capabilities: CLIENT_CAPABILITIES,
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
    // A list changed (MCP list_changed; on 2026-07-28 it comes on the listen stream, see follow):
    // fetched again if it was listed, else it is listed fresh when its tab shows.
    client.setNotificationHandler('notifications/tools/list_changed', () => void this.relist('tools'));
    client.setNotificationHandler('notifications/prompts/list_changed', () => void this.relist('prompts'));
    client.setNotificationHandler('notifications/resources/list_changed', () => void this.relist('resources'));
    const transport = new StreamableHTTPClientTransport(new URL(this.serverUrl), transportFetchOption());
    this.wire.attach(transport);
    const taskWire = attachTaskWire(transport);
    assumeCompleteResults(transport, () => client.getProtocolEra() === 'modern');
    try {
      await client.connect(transport, { timeout: CONNECT_TIMEOUT_MS, ...(prior ? { prior } : {}) });
      this.client = client;
      this.taskWire = taskWire;
      if (!prior) this.rememberVerdict(client);
      // Lists are walked page by page by the SDK (nextCursor, MCP pagination), up to 64 pages.
      this.setTools((await client.listTools()).tools);
      this.listed.add('tools');
      // A task this browser followed had not ended: the runner resumes it (SEP-2663 "Task Polling").
      if (hasUnfinishedTasks(this.serverUrl)) void this.ensureTasks().catch(() => {});
    } catch (err) {
      this.client = undefined;
      this.closeTasks();
      await client.close().catch(() => {});
      throw toFailure(err);
    }
  }

  /** Keeps what this negotiation learnt, for the next visit (never on a pinned legacy session: it did not ask). */
  private rememberVerdict(client: Client): void {
    const discover = client.getDiscoverResult();
    if (discover) rememberDiscovery(this.serverUrl, { kind: 'modern', discover });
    else if (this.protocol === 'auto' && client.getProtocolEra() === 'legacy') rememberDiscovery(this.serverUrl, { kind: 'legacy' });
  }

  /**
   * Lists resources (and templates) or prompts once, when the person first looks (their tab),
   * and only when the server says it has them (MCP capabilities negotiation). A failure is told
   * in the Log tab and the list stays empty (not asked again at every redraw) until the server
   * says it changed or the session opens again.
   */
  ensureListed(kind: Exclude<ListKind, 'tools'>): Promise<void> {
    let p = this.listing.get(kind);
    if (!p) {
      p = this.list(kind).catch((err: unknown) => {
        this.listed.add(kind);
        this.hooks.log({ at: Date.now(), level: 'error', logger: 'keyhole', data: `Listing ${kind} failed: ${(err as Error).message}` });
      });
      this.listing.set(kind, p);
    }
    return p;
  }

  private async list(kind: ListKind, cacheMode: 'use' | 'refresh' = 'use'): Promise<void> {
    await this.request(async (c) => {
      const caps = c.getServerCapabilities();
      if (kind === 'tools') this.setTools((await c.listTools(undefined, { cacheMode })).tools);
      else if (kind === 'prompts') {
        if (caps?.prompts) this.prompts = (await c.listPrompts(undefined, { cacheMode })).prompts;
      } else if (caps?.resources) {
        this.resources = (await c.listResources(undefined, { cacheMode })).resources;
        if (cacheMode === 'use') this.templates = (await c.listResourceTemplates().catch(() => ({ resourceTemplates: [] }))).resourceTemplates;
      }
    });
    this.listed.add(kind);
    this.hooks.changed('lists');
  }

  /** The server said a list changed: fetched again if it was listed (cache bypassed). */
  private async relist(kind: ListKind): Promise<void> {
    if (!this.listed.has(kind)) return;
    await this.list(kind, 'refresh').catch(() => {});
  }

  /**
   * Opens the 2026-07-28 listen stream once the tools are listed, so the list-change
   * notifications the server offers reach this page (a 2025 server sends them unasked). Not
   * awaited: a server (or a buffering proxy) that never acknowledges leaves the session working
   * without live list updates.
   */
  private follow(): void {
    this.listenQueue = this.listenQueue.then(() => this.listenAgain([...this.subscribed])).catch((err: unknown) => {
      this.hooks.log({ at: Date.now(), level: 'warning', logger: 'keyhole', data: `No live list updates: ${(err as Error).message}` });
    });
  }

  /** One listen stream for the list changes the server offers and the followed resources. */
  private async listenAgain(resources: string[]): Promise<void> {
    const c = this.client;
    if (!c || c.getProtocolEra() !== 'modern') return;
    const caps = c.getServerCapabilities();
    const filter = {
      ...(caps?.tools?.listChanged ? { toolsListChanged: true } : {}),
      ...(caps?.prompts?.listChanged ? { promptsListChanged: true } : {}),
      ...(caps?.resources?.listChanged ? { resourcesListChanged: true } : {}),
      ...(resources.length ? { resourceSubscriptions: resources } : {}),
    };
    const before = this.subscription;
    this.subscription = undefined;
    await before?.close().catch(() => {});
    if (!Object.keys(filter).length) return;
    const stream = await c.listen(filter, { timeout: CONNECT_TIMEOUT_MS });
    // Closed while the stream opened: it belongs to nothing any more.
    if (this.client === c) this.subscription = stream;
    else await stream.close().catch(() => {});
  }

  async callTool(name: string, args: Record<string, unknown>, options: CallToolOptions = {}): Promise<CallToolResult> {
    const tool = this.tools.find((t) => t.name === name);
    try {
      return await this.timed('tool', name, args, () => this.request((c) =>
        c.callTool(
          { name, arguments: args, ...this.logMeta(c) },
          {
            ...(tool ? { toolDefinition: tool } : {}),
            // SEP-2243 on 2026-07-28; the SDK keeps them on a multi-round-trip retry.
            ...(tool && c.getProtocolEra() === 'modern' ? { headers: paramHeaders(tool, args) } : {}),
            ...(options.signal ? { signal: options.signal } : {}),
            ...(options.onProgress ? { onprogress: options.onProgress, resetTimeoutOnProgress: true } : {}),
          },
        ).catch((err: unknown) => this.followTask(err, name, options)),
      ) as Promise<CallToolResult>);
    } catch (err) {
      if (options.signal?.aborted) throw new McpFailure('Cancelled.', 'protocol');
      throw err;
    }
  }

  /** A call the server answered with a task: followed until it ends (the Tasks extension), else the error as it was. */
  private async followTask(err: unknown, name: string, options: CallToolOptions): Promise<CallToolResult> {
    const created = taskHandoff(err);
    if (!created) throw err;
    options.onTask?.({ status: created.status, ...(created.statusMessage ? { statusMessage: created.statusMessage } : {}) });
    const tasks = await this.ensureTasks();
    if (!tasks) throw err;
    return tasks.follow(created, name, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onTask ? { onStatus: options.onTask } : {}),
    });
  }

  /** The server speaks the Tasks extension, and the runner's code has not come yet (the Tasks tab says it is on its way). */
  get tasksPending(): boolean {
    return !this.tasksSettled && !!this.client && speaksTasks(this.client);
  }

  /**
   * The connection's task runner, its code loaded on first need (a call answered with a task, an
   * unfinished stored task, the Tasks tab); undefined when the server does not speak the
   * extension. The card draws again once it is there. A failed load is told in the Log tab once
   * (not at every redraw of the Tasks tab); the next connection tries again.
   */
  ensureTasks(): Promise<TaskRunner | undefined> {
    const client = this.client;
    const wire = this.taskWire;
    if (!client || !wire || !speaksTasks(client)) return Promise.resolve(undefined);
    return (this.tasksLoad ??= loadTaskRunner().then(
      ({ TaskRunner }) => {
        // Closed (or opened again) while the chunk came: the runner belongs to nothing.
        if (this.client !== client) return undefined;
        this.tasks = TaskRunner.open(client, wire, this.serverUrl, this.hooks, CLIENT_INFO, CLIENT_CAPABILITIES);
        this.tasksSettled = true;
        this.hooks.changed('lists');
        return this.tasks;
      },
      (err: unknown) => {
        if (this.client === client) this.tasksSettled = true;
        this.hooks.log({ at: Date.now(), level: 'error', logger: 'keyhole', data: `Could not load the Tasks extension: ${(err as Error).message}` });
        throw new McpFailure(`Could not load the Tasks extension: ${(err as Error).message}`, 'protocol');
      },
    ));
  }

  private closeTasks(): void {
    this.tasks?.close();
    this.tasks = undefined;
    this.tasksLoad = undefined;
    this.tasksSettled = false;
    this.taskWire = undefined;
  }

  /** The listed tools, and those of the server's last listing the SDK left out. */
  private setTools(tools: Tool[]): void {
    this.tools = tools;
    this.excludedTools = excludedTools(this.wire.entries, tools);
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
        const listening = this.listenQueue.then(() => this.listenAgain([...next]));
        this.listenQueue = listening.catch(() => {});
        await listening;
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
    this.closeTasks();
    this.subscribed.clear();
    this.listed.clear();
    this.listing.clear();
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
