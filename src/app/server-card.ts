/**
 * One MCP server in the main area: its header (name, state, actions), what the person should
 * know now (the reason for an authorization, an error, a notice), its settings, what the server
 * asks of the person, the workbench tabs, and the authorization timeline.
 *
 * The card is the controller of its server: it holds the connection's session, the tool calls
 * (which outlive the tabs during a step-up) and the unsent input; the workbench (the tabs and
 * the panels under `panels/`, with the MCP SDK client) draws them and is loaded when the card
 * first opens a session (workbench-view.ts). What it asks of the worker (connect, authorize,
 * disconnect, saved settings) is card-authorization.ts. Every server-supplied string is rendered
 * as text (Lit escapes bindings).
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type { CreateMessageResult as SampleAnswer, ElicitResult as ElicitAnswer, Root } from '@modelcontextprotocol/client';
import type { ConnectionState, ConnectionView } from '../protocol.ts';
import { iconSrc } from './content/media.ts';
import { CardSession } from './card-session.ts';
import { CardAuthorization, type AuthorizationHost } from './card-authorization.ts';
import type { CallRecord, LogEntry, ProtocolChoice, SessionHooks } from './mcp-session.ts';
import type { SavedServer } from './servers-store.ts';
import { addHistory, clearHistory, loadHistory, type HistoryEntry } from './history-store.ts';
import { RetryController } from './retry-controller.ts';
import { ToolCalls } from './tool-calls.ts';
import { AskQueue } from './ask-queue.ts';
import { renderHead, renderNews, type CardHead } from './server-card-view.ts';
import type { SwBridge } from './sw-bridge.ts';
import { WireLog } from './wire-log.ts';
import type { PromptsPanel } from './panels/prompts-panel.ts';
import type { ResourcesPanel } from './panels/resources-panel.ts';
import type { SettingsChange } from './panels/server-settings.ts';
import './panels/server-settings.ts';
import './panels/timeline-view.ts';
import type { ToolsPanel } from './panels/tools-panel.ts';
import type { Tab, WorkbenchHost } from './workbench-view.ts';
import { serverCardStyles } from './server-card-styles.ts';

/** Log messages kept per connection; the oldest go first. */
const LOG_LIMIT = 1000;

export class ServerCard extends LitElement implements WorkbenchHost, AuthorizationHost {
  static override properties = {
    server: { attribute: false },
    view: { attribute: false },
    bridge: { attribute: false },
    protocol: { attribute: false },
    localError: { state: true },
    notice: { state: true },
    logs: { state: true },
    updates: { state: true },
    tab: { state: true },
    listsVersion: { state: true },
    history: { state: true },
    editing: { state: true },
    toolSelected: { state: true },
  };

  declare server: SavedServer;
  declare view: ConnectionView | undefined;
  declare bridge: SwBridge;
  /** The tab's choice (`?protocol=`); a revision pinned in the server's settings wins. */
  declare protocol: ProtocolChoice;
  declare localError: string | undefined;
  declare notice: string | undefined;
  declare logs: LogEntry[];
  /** Resource URI → when the server last said it changed. */
  declare updates: Map<string, number>;
  declare tab: Tab;
  /** Bumped when the server's lists changed, to draw them again. */
  declare listsVersion: number;
  /** Every call the person made on this server, newest first (page storage; never a credential). */
  declare history: HistoryEntry[];
  declare editing: boolean;
  /** The tool open in the Tools tab (kept here: the tabs go away during a step-up). */
  declare toolSelected: string | undefined;
  /** Every JSON-RPC message of this connection, across sessions (the protocol view). */
  readonly wire = new WireLog();
  /** The person's tool calls, and their unsent input. */
  readonly calls = new ToolCalls(
    this,
    () => this.server.serverUrl,
    () => this.live.session,
  );
  /** What the server asks of the person; once answered, the call that asked shows its result. */
  private readonly questions = new AskQueue(this, (origin) => {
    if (origin.length === 1) void this.showToolResult(origin[0]!);
  });
  /** An unreachable server is tried again by itself. */
  private readonly retry = new RetryController(
    this,
    () => this.currentError,
    () => this.shownState === 'connected',
    () => void this.connect(),
  );
  private lastReported: string | undefined;

  constructor() {
    super();
    this.logs = [];
    this.updates = new Map();
    this.tab = 'Tools';
    this.listsVersion = 0;
    this.history = [];
    this.editing = false;
  }

  /** The session's side of the person: questions queue on the card, answers resolve them. */
  private readonly hooks: SessionHooks = {
    // The calls running when the server asks: one of them asked.
    elicit: (params, signal) => this.questions.enqueue<ElicitAnswer>('elicit', params, signal, this.calls.running),
    sample: (params, signal) => this.questions.enqueue<SampleAnswer>('sample', params, signal, this.calls.running),
    roots: () => this.server.roots ?? [],
    log: (entry) => this.log(entry),
    changed: (what) => {
      if (what === 'lists') this.listsVersion++;
      else this.updates = new Map(this.updates).set(what.resource, Date.now());
    },
    recorded: (call) => this.record(call),
  };

  /** The MCP session, and the workbench module it comes with. */
  private readonly live = new CardSession(this, {
    serverUrl: () => this.server.serverUrl,
    protocol: () => this.server.protocol ?? this.protocol,
    hooks: this.hooks,
    wire: this.wire,
    opened: (session) => {
      const rerun = this.calls.resume(session);
      if (rerun) this.toolSelected = rerun;
    },
    failed: (message) => (this.localError = message),
  });

  /** Connect, Authorize, Disconnect and saved settings: what the card asks of the worker. */
  private readonly auth = new CardAuthorization(this, this.live);

  forgetSession(): void {
    this.calls.reset();
    this.questions.clear();
  }

  private record(call: CallRecord): void {
    this.history = addHistory(this.server.serverUrl, call);
  }

  log(entry: LogEntry): void {
    this.logs = [...this.logs.slice(-(LOG_LIMIT - 1)), entry];
  }

  clearHistory(): void {
    clearHistory(this.server.serverUrl);
    this.history = [];
  }

  /** Shown state: the worker's, unless the page itself could not talk to the server. */
  get shownState(): ConnectionState {
    if (this.localError) return 'error';
    const s = this.view?.state;
    if (!s) return 'disconnected';
    if (s === 'connected' && this.live.state !== 'open') return 'connecting';
    return s;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('server') && (changed.get('server') as SavedServer | undefined)?.serverUrl !== this.server.serverUrl) {
      this.history = loadHistory(this.server.serverUrl);
    }
    if (changed.has('view')) {
      const before = (changed.get('view') as ConnectionView | undefined)?.state;
      const now = this.view?.state;
      if ((now === 'connecting' || now === 'connected') && before !== now && this.live.state === 'idle' && !this.localError && !this.auth.leaving && !this.live.paused) {
        void this.live.open();
      }
      // Needing authorization does not end the MCP session: calls in flight must see their own
      // 401/403 (so they can wait for the authorization), not a closed connection.
      if (now === 'error' || now === undefined) {
        if (this.live.state === 'open') void this.live.close();
      }
    }
  }

  protected override updated(): void {
    this.dataset.state = this.shownState;
    this.dataset.serverUrl = this.server.serverUrl;
    this.reportState();
    // Resources and prompts are listed when their tab first shows.
    const { workbench, session, state } = this.live;
    if (workbench && session && state === 'open') void workbench.listShownTab(this, session);
  }

  /** The server's own icon, as it introduced itself (drawn in the header and the sidebar). */
  private get icon(): string | undefined {
    return iconSrc(this.live.session?.serverInfo?.icons);
  }

  /** The sidebar shows what this card shows: one source of state, one vocabulary. */
  private reportState(): void {
    const detail = {
      serverUrl: this.server.serverUrl,
      state: this.shownState,
      protocolVersion: this.live.session?.protocolVersion,
      icon: this.icon,
    };
    const key = JSON.stringify(detail);
    if (key === this.lastReported) return;
    this.lastReported = key;
    this.dispatchEvent(new CustomEvent('card-state', { detail, bubbles: true, composed: true }));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('pageshow', this.onPageShow);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('pageshow', this.onPageShow);
  }

  /**
   * Back from the authorization server without finishing (the back/forward cache restores this
   * page as it was): the person may try again. A flow left "authorizing" offers Authorize too.
   */
  private readonly onPageShow = (event: PageTransitionEvent): void => {
    if (!event.persisted) return;
    this.notice = undefined;
    this.auth.returned();
  };

  /** What a reload would interrupt on this card, in words, if anything. */
  get interruptible(): string | undefined {
    const running = this.calls.running;
    if (running.length) return `${running.join(', ')} on ${this.server.serverUrl} (still running)`;
    return undefined;
  }

  /** The error shown: the worker's account names the step and the rule; the page's own is the fallback. */
  private get currentError(): string | undefined {
    return (this.view?.state === 'error' ? this.view.error : undefined) ?? this.localError;
  }

  /** Network back: a card that failed because the server could not be reached tries again. */
  retryIfUnreachable(): void {
    if (this.retry.unreachable) void this.connect();
  }

  /** Connect or retry: hands settings to the worker and opens the MCP session. */
  connect(settings: { clientSecret?: string } = {}): Promise<void> {
    return this.auth.connect(settings);
  }

  /** Brings this card's title into focus (from the sidebar). */
  focusTitle(): void {
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  /** The shortcut "/": the filter of the list the open tab shows. */
  focusFilter(): void {
    const panel = this.renderRoot.querySelector<ToolsPanel | ResourcesPanel | PromptsPanel>(
      `[data-tab="${this.tab}"] tools-panel, [data-tab="${this.tab}"] resources-panel, [data-tab="${this.tab}"] prompts-panel`,
    );
    if (panel) panel.focusFilter();
    else if (this.tab !== 'Tools' && this.shownState === 'connected') {
      this.tab = 'Tools';
      void this.updateComplete.then(() => this.focusFilter());
    }
  }

  /** A new version is taking over: end the session (and its streams) and do not reopen it yet. */
  pauseForUpdate(): Promise<void> {
    return this.live.pause();
  }

  /** Under the new version: the session opens again if the connection is usable. */
  resumeAfterUpdate(): void {
    this.live.paused = false;
    const s = this.view?.state;
    if ((s === 'connected' || s === 'connecting') && this.live.state === 'idle' && !this.localError) void this.live.open();
  }

  private removeServer(): void {
    this.dispatchEvent(new CustomEvent('remove-server', { detail: this.server.serverUrl, bubbles: true, composed: true }));
  }

  focusSettingsButton(): void {
    this.renderRoot.querySelector<HTMLElement>('[data-settings-button]')?.focus();
  }

  /** Opens a tool in the Tools tab and brings its result into view. */
  async showToolResult(name: string): Promise<void> {
    this.tab = 'Tools';
    this.toolSelected = name;
    await this.updateComplete;
    await this.renderRoot.querySelector<ToolsPanel>('tools-panel')?.showResult();
  }

  setRoots(roots: Root[]): void {
    this.dispatchEvent(
      new CustomEvent<SavedServer>('update-server', { detail: { ...this.server, roots }, bubbles: true, composed: true }),
    );
    // The server hears of it once the new list is in place (hooks.roots reads this.server).
    void this.updateComplete.then(() => this.live.session?.rootsChanged());
  }

  override render() {
    const v = this.view;
    const state = this.shownState;
    const head: CardHead = {
      server: this.server,
      view: v,
      state,
      icon: this.icon,
      canAuthorize: state === 'needs-authorization' || (state === 'authorizing' && !this.auth.leaving) || (this.auth.reauthorizing && state === 'connected'),
      editing: this.editing,
      authorize: () => void this.auth.authorize(),
      connect: () => void this.connect().then(() => this.focusTitle()),
      disconnect: () => void this.auth.disconnect(),
      toggleSettings: () => (this.editing = !this.editing),
      remove: () => this.removeServer(),
    };
    const news = {
      view: v,
      state,
      notice: this.notice,
      waiting: this.calls.waiting,
      error: this.currentError,
      retryAt: this.retry.retryAt,
      protocolVersion: this.live.session?.protocolVersion,
    };
    return html`
      <article aria-labelledby="title">
        ${renderHead(head)} ${renderNews(news)}
        ${this.editing
          ? html`<server-settings
              .server=${this.server}
              .authorized=${!!v?.tokenKind}
              @settings-save=${(e: CustomEvent<SettingsChange>) => void this.auth.saveSettings(e.detail)}
              @settings-cancel=${() => {
                this.editing = false;
                void this.updateComplete.then(() => this.focusSettingsButton());
              }}
            ></server-settings>`
          : nothing}
        ${this.questions.asks.map(
          (a) => html`<ask-view .ask=${a} .serverUrl=${this.server.serverUrl} .origin=${a.origin ?? []}></ask-view>`,
        )}
        ${this.renderWorkbench(state)}
        ${v?.steps.length ? html`<timeline-view .steps=${v.steps}></timeline-view>` : nothing}
      </article>
    `;
  }

  /** The tabs, once the session is open; a line in their place while their module arrives. */
  private renderWorkbench(state: ConnectionState) {
    const { workbench, session } = this.live;
    if (state === 'connected' && session && workbench) return workbench.renderWorkbench(this, session);
    if (state === 'connecting' && this.live.state === 'opening' && !workbench) return html`<p class="hint" role="status">Loading the workbench…</p>`;
    return nothing;
  }

  static override styles = serverCardStyles;
}

customElements.define('server-card', ServerCard);
