/**
 * One MCP server: its state as the service worker reports it, the actions a person can take,
 * and its tools. Every server-supplied string is rendered as text (Lit escapes bindings).
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { CallToolResult, CreateMessageResult as SampleAnswer, ElicitResult as ElicitAnswer, LoggingLevel, Root, Tool } from '@modelcontextprotocol/client';
import type { ConnectionState, ConnectionView } from '../protocol.ts';
import { McpFailure, McpSession, type LogEntry, type ProtocolChoice, type SessionHooks } from './mcp-session.ts';
import { setPendingCall, takePendingCall, type SavedServer } from './servers-store.ts';
import type { SwBridge } from './sw-bridge.ts';
import { checkEndpointUrl } from '../sw/rules/urls.ts';
import { WireLog } from './wire-log.ts';
import type { SchemaForm } from './schema-form/schema-form.ts';
import './schema-form/schema-form.ts';
import './content/content-view.ts';
import type { Ask } from './panels/ask-view.ts';
import './panels/ask-view.ts';
import './panels/log-view.ts';
import './panels/prompts-panel.ts';
import type { ResourcesPanel } from './panels/resources-panel.ts';
import './panels/resources-panel.ts';
import './panels/roots-editor.ts';
import './panels/wire-view.ts';

interface ToolOutput {
  state: 'running' | 'ok' | 'error';
  /** What is shown while running, or the failure. */
  text: string;
  result?: CallToolResult;
  /** Present while the call runs: cancels it (closes its stream, MCP H17). */
  abort?: AbortController;
  /** 0..1 when the server reports progress with a total. */
  fraction?: number;
}

/**
 * An error that means a server (the MCP server, or an authorization server during discovery or
 * refresh) gave no answer at all, or none in time (the worker's and the browser's wording).
 * Other failures are not retried by themselves: they may be a rule a server broke, and the
 * person decides.
 */
const UNREACHABLE = /could not be reached|did not answer within|^Failed to fetch|^NetworkError/i;
/** Waits between automatic retries of an unreachable server, in seconds; the last repeats. */
const RETRY_DELAYS_S = [3, 5, 10, 30, 60];

/** Log messages kept per connection; the oldest go first. */
const LOG_LIMIT = 1000;

const TABS = ['Tools', 'Resources', 'Prompts', 'Log', 'Protocol', 'Roots'] as const;
type Tab = (typeof TABS)[number];

/** What a timeline step's document is, by step. */
const STEP_DOCUMENT: Record<string, string> = {
  prm: 'Protected resource metadata (RFC 9728)',
  'as-metadata': 'Authorization server metadata',
  register: 'Registration response (RFC 7591), secrets removed',
  authorize: 'Authorization request parameters (the PKCE verifier never leaves the worker)',
  token: 'Token response, tokens removed',
};

const STATE_LABEL: Record<ConnectionState, string> = {
  disconnected: 'Disconnected',
  connecting: 'Connecting…',
  'needs-authorization': 'Needs authorization',
  authorizing: 'Authorizing…',
  connected: 'Connected',
  error: 'Error',
};

export class ServerCard extends LitElement {
  static override properties = {
    server: { attribute: false },
    view: { attribute: false },
    bridge: { attribute: false },
    protocol: { attribute: false },
    sessionState: { state: true },
    localError: { state: true },
    notice: { state: true },
    outputs: { state: true },
    reads: { state: true },
    waitingCall: { state: true },
    retryAt: { state: true },
    asks: { state: true },
    logs: { state: true },
    updates: { state: true },
    tab: { state: true },
    listsVersion: { state: true },
  };

  declare server: SavedServer;
  declare view: ConnectionView | undefined;
  declare bridge: SwBridge;
  declare protocol: ProtocolChoice;
  declare sessionState: 'idle' | 'opening' | 'open';
  declare localError: string | undefined;
  declare notice: string | undefined;
  declare outputs: Record<string, ToolOutput>;
  /** What the server asks the person, oldest first (elicitation, sampling). */
  declare asks: Ask[];
  declare logs: LogEntry[];
  /** Resource URI → when the server last said it changed. */
  declare updates: Map<string, number>;
  declare tab: Tab;
  /** Bumped when the server's lists changed, to draw them again. */
  declare listsVersion: number;
  /** Every JSON-RPC message of this connection, across sessions (the protocol view). */
  readonly wire = new WireLog();
  private askSeq = 0;
  /** A tool call interrupted by a 401/403, to run again after authorization. */
  declare waitingCall: string | undefined;
  private session: McpSession | undefined;
  private leaving = false;
  private pausedForUpdate = false;
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  declare retryAt: number | undefined;

  constructor() {
    super();
    this.sessionState = 'idle';
    this.outputs = {};
    this.asks = [];
    this.logs = [];
    this.updates = new Map();
    this.tab = 'Tools';
    this.listsVersion = 0;
  }

  /** The session's side of the person: questions queue on the card, answers resolve them. */
  private readonly hooks: SessionHooks = {
    elicit: (params, signal) => this.enqueue<ElicitAnswer>('elicit', params, signal),
    sample: (params, signal) => this.enqueue<SampleAnswer>('sample', params, signal),
    roots: () => this.server.roots ?? [],
    log: (entry) => {
      this.logs = [...this.logs.slice(-(LOG_LIMIT - 1)), entry];
    },
    changed: (what) => {
      if (what === 'lists') this.listsVersion++;
      else this.updates = new Map(this.updates).set(what.resource, Date.now());
    },
  };

  /** Puts a server's question before the person; the server's cancellation takes it away. */
  private enqueue<T>(kind: Ask['kind'], params: unknown, signal: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const id = ++this.askSeq;
      const done = () => {
        this.asks = this.asks.filter((a) => a.id !== id);
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        done();
        reject(signal.reason instanceof Error ? signal.reason : new Error('The server withdrew its request.'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const answer = (result: unknown) => {
        done();
        if (result instanceof Error) reject(result);
        else resolve(result as T);
      };
      this.asks = [...this.asks, { id, kind, params, answer } as Ask];
    });
  }

  /** Shown state: the worker's, unless the page itself could not talk to the server. */
  get shownState(): ConnectionState {
    if (this.localError) return 'error';
    const s = this.view?.state;
    if (!s) return 'disconnected';
    if (s === 'connected' && this.sessionState !== 'open') return 'connecting';
    return s;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('view')) {
      const before = (changed.get('view') as ConnectionView | undefined)?.state;
      const now = this.view?.state;
      if ((now === 'connecting' || now === 'connected') && before !== now && this.sessionState === 'idle' && !this.localError && !this.leaving && !this.pausedForUpdate) {
        void this.openSession();
      }
      // Needing authorization does not end the MCP session: calls in flight must see their own
      // 401/403 (so they can wait for the authorization), not a closed connection.
      if (now === 'error' || now === undefined) {
        if (this.sessionState === 'open') void this.closeSession();
      }
    }
  }

  protected override updated(): void {
    if (this.unreachable) this.scheduleRetry();
    else if (this.shownState === 'connected') {
      this.retries = 0;
      this.cancelRetry();
    }
    this.dataset.state = this.shownState;
    this.dataset.serverUrl = this.server.serverUrl;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('pageshow', this.onPageShow);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('pageshow', this.onPageShow);
    this.cancelRetry();
    void this.closeSession();
  }

  /**
   * Back from the authorization server without finishing (the back/forward cache restores this
   * page as it was): the person may try again. A flow left "authorizing" offers Authorize too.
   */
  private readonly onPageShow = (event: PageTransitionEvent): void => {
    if (!event.persisted) return;
    this.leaving = false;
    this.notice = undefined;
    this.requestUpdate();
  };

  /** What a reload would interrupt on this card, in words, if anything. */
  get interruptible(): string | undefined {
    const running = Object.entries(this.outputs).filter(([, o]) => o.state === 'running').map(([name]) => name);
    if (running.length) return `${running.join(', ')} on ${this.server.serverUrl} (still running)`;
    return undefined;
  }

  /** The current error says nothing answered (down, offline, or CORS), not that something answered wrongly. */
  private get unreachable(): boolean {
    const error = (this.view?.state === 'error' ? this.view.error : undefined) ?? this.localError;
    return !!error && UNREACHABLE.test(error);
  }

  /** Network back: a card that failed because the server could not be reached tries again. */
  retryIfUnreachable(): void {
    if (this.unreachable) void this.connect();
  }

  /**
   * A server that could not be reached is tried again by itself, waiting longer each time
   * (RETRY_DELAYS_S), while the page is visible; any other error waits for the person.
   */
  private scheduleRetry(): void {
    if (this.retryTimer !== undefined || !this.unreachable) return;
    const delay = RETRY_DELAYS_S[Math.min(this.retries, RETRY_DELAYS_S.length - 1)]!;
    this.retryAt = Date.now() + delay * 1000;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.retryAt = undefined;
      if (!this.unreachable) return;
      if (document.visibilityState !== 'visible') return void this.scheduleRetry();
      this.retries++;
      void this.connect();
    }, delay * 1000);
  }

  private cancelRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.retryAt = undefined;
  }

  /** Connect or retry: hands settings to the worker and opens the MCP session. */
  async connect(settings: { clientSecret?: string } = {}): Promise<void> {
    this.localError = undefined;
    this.notice = undefined;
    try {
      await this.bridge.send({
        type: 'connect',
        serverUrl: this.server.serverUrl,
        settings: {
          keepSignedIn: this.server.keepSignedIn,
          ...(this.server.clientId ? { clientId: this.server.clientId } : {}),
          ...(settings.clientSecret ? { clientSecret: settings.clientSecret } : {}),
          ...(this.server.scopes ? { scopes: this.server.scopes } : {}),
        },
      });
    } catch (err) {
      this.localError = (err as Error).message;
      return;
    }
    await this.openSession();
  }

  private async openSession(): Promise<void> {
    if (this.sessionState === 'opening' || this.pausedForUpdate) return;
    this.sessionState = 'opening';
    const session = new McpSession(this.server.serverUrl, this.protocol, this.hooks, this.wire);
    this.session = session;
    try {
      await session.open();
      if (this.session !== session) return;
      this.sessionState = 'open';
      this.tellSession(session.protocolVersion);
      const pending = takePendingCall(this.server.serverUrl);
      this.waitingCall = undefined;
      if (pending) void this.callTool(pending.tool, JSON.parse(pending.args) as Record<string, unknown>);
    } catch (err) {
      if (this.session !== session) return;
      this.sessionState = 'idle';
      this.session = undefined;
      // A 401/403 is explained by the worker's state (needs authorization, or an error from
      // discovery); anything else is the page's own failure to report.
      if (!(err instanceof McpFailure && err.kind === 'auth')) this.localError = (err as Error).message;
    }
  }

  /** The page's overview shows each server's negotiated protocol revision. */
  private tellSession(protocolVersion: string | undefined): void {
    this.dispatchEvent(
      new CustomEvent('session-info', { detail: { serverUrl: this.server.serverUrl, protocolVersion }, bubbles: true, composed: true }),
    );
  }

  /** Brings this card's title into focus (from the overview). */
  focusTitle(): void {
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  /** A new version is taking over: end the session (and its streams) and do not reopen it yet. */
  async pauseForUpdate(): Promise<void> {
    this.pausedForUpdate = true;
    await this.closeSession();
  }

  /** Under the new version: the session opens again if the connection is usable. */
  resumeAfterUpdate(): void {
    this.pausedForUpdate = false;
    const s = this.view?.state;
    if ((s === 'connected' || s === 'connecting') && this.sessionState === 'idle' && !this.localError) void this.openSession();
  }

  private async closeSession(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    this.sessionState = 'idle';
    if (s) this.tellSession(undefined);
    await s?.close();
  }

  private async authorize(): Promise<void> {
    this.notice = 'Preparing the authorization request…';
    const result = await this.bridge.send({ type: 'authorize', serverUrl: this.server.serverUrl }).catch((err: Error) => ({
      ok: false as const,
      error: err.message,
      views: [],
    }));
    if (!result.ok || !('authorizationUrl' in result) || !result.authorizationUrl) {
      this.notice = undefined;
      if (!result.ok && !this.view?.error) this.localError = result.error;
      return;
    }
    let url: URL;
    try {
      // MCP P10: only navigate to https, or http on loopback; the worker checked it too.
      url = checkEndpointUrl(result.authorizationUrl, 'The authorization URL');
    } catch (err) {
      this.notice = undefined;
      this.localError = (err as Error).message;
      return;
    }
    this.notice = `Redirecting to ${url.origin} to authorize…`;
    // This page is going away: the worker's "connecting" broadcast after the callback is for the
    // page that comes back, not for this one.
    this.leaving = true;
    location.assign(url.href);
  }

  private async disconnect(): Promise<void> {
    this.notice = 'Revoking tokens and forgetting this connection…';
    await this.closeSession();
    this.outputs = {};
    this.asks = [];
    const result = await this.bridge.send({ type: 'disconnect', serverUrl: this.server.serverUrl });
    this.localError = undefined;
    this.notice = result.ok ? 'Disconnected: tokens revoked and forgotten.' : result.error;
  }

  private removeServer(): void {
    this.dispatchEvent(new CustomEvent('remove-server', { detail: this.server.serverUrl, bubbles: true, composed: true }));
  }

  /** Reads a tool's form (or its JSON) and calls it; a form with errors shows them instead. */
  private submitTool(tool: Tool, item: HTMLElement): void {
    const form = item.querySelector<SchemaForm>('schema-form');
    const read = form?.read() ?? { ok: true as const, value: {} };
    if (!read.ok) return;
    const args = read.value;
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      this.setOutput(tool.name, { state: 'error', text: 'Invalid arguments: they must be a JSON object.' });
      return;
    }
    void this.callTool(tool.name, args as Record<string, unknown>);
  }

  private async callTool(name: string, args: Record<string, unknown>): Promise<void> {
    if (!this.session) {
      this.setOutput(name, { state: 'error', text: 'Not connected.' });
      return;
    }
    const abort = new AbortController();
    this.setOutput(name, { state: 'running', text: 'Calling…', abort });
    try {
      const result = await this.session.callTool(name, args, {
        signal: abort.signal,
        onProgress: (p) =>
          this.setOutput(name, {
            state: 'running',
            abort,
            text: `Running… ${p.progress}${p.total ? ` of ${p.total}` : ''}${p.message ? `: ${p.message}` : ''}`,
            ...(p.total ? { fraction: Math.min(1, p.progress / p.total) } : {}),
          }),
      });
      this.setOutput(name, { state: result.isError ? 'error' : 'ok', text: '', result });
    } catch (err) {
      if (err instanceof McpFailure && err.kind === 'auth') {
        // The worker records the step-up; after authorization the call runs again by itself.
        setPendingCall({ serverUrl: this.server.serverUrl, tool: name, args: JSON.stringify(args) });
        this.waitingCall = name;
        this.setOutput(name, {
          state: 'running',
          text:
            err.status === 403
              ? 'The server needs more permission for this tool. Press Authorize; the call runs again afterwards.'
              : 'The server needs a new authorization. Press Authorize; the call runs again afterwards.',
        });
        return;
      }
      this.setOutput(name, { state: 'error', text: (err as Error).message });
    }
  }

  private async setLogLevel(level: LoggingLevel): Promise<void> {
    try {
      await this.session?.setLogLevel(level);
    } catch (err) {
      this.hooks.log({ at: Date.now(), level: 'error', logger: 'keyhole', data: `The server refused log level ${level}: ${(err as Error).message}` });
    }
  }

  private setRoots(roots: Root[]): void {
    this.dispatchEvent(
      new CustomEvent<SavedServer>('update-server', { detail: { ...this.server, roots }, bubbles: true, composed: true }),
    );
    // The server hears of it once the new list is in place (hooks.roots reads this.server).
    void this.updateComplete.then(() => this.session?.rootsChanged());
  }

  private setOutput(name: string, out: ToolOutput): void {
    this.outputs = { ...this.outputs, [name]: out };
  }

  override render() {
    const v = this.view;
    const state = this.shownState;
    // The worker's account names the step and the rule; the page's own error is the fallback.
    const error = (v?.state === 'error' ? v.error : undefined) ?? this.localError;
    return html`
      <article aria-labelledby="title">
        <header>
          <h2 id="title" tabindex="-1">${this.server.serverUrl}</h2>
          <span class="badge ${state}">${STATE_LABEL[state]}</span>
        </header>
        ${state === 'needs-authorization' && v?.reason ? html`<p class="reason">${v.reason}</p>` : nothing}
        ${this.notice ? html`<p role="status">${this.notice}</p>` : nothing}
        ${v?.warning ? html`<p class="warning">${v.warning}</p>` : nothing}
        ${this.waitingCall && state !== 'connected'
          ? html`<p role="status" class="pending">The call to ${this.waitingCall} waits for authorization; it runs again once you have authorized.</p>`
          : nothing}
        ${error ? html`<p role="alert" class="error">${error}</p>` : nothing}
        ${error && this.retryAt
          ? html`<p class="hint" data-retry>Keyhole tries again by itself in ${Math.max(1, Math.round((this.retryAt - Date.now()) / 1000))} s.</p>`
          : nothing}
        ${this.renderFacts(v)}
        <div class="actions">
          ${state === 'needs-authorization' || (state === 'authorizing' && !this.leaving)
            ? html`<button class="primary" @click=${() => void this.authorize()}>Authorize</button>`
            : nothing}
          ${state === 'error' || state === 'disconnected' ? html`<button @click=${() => void this.connect()}>Connect</button>` : nothing}
          ${v ? html`<button @click=${() => void this.disconnect()}>Disconnect</button>` : nothing}
          <button class="quiet" @click=${() => this.removeServer()}>Remove</button>
        </div>
        ${this.asks.map((a) => html`<ask-view .ask=${a} .serverUrl=${this.server.serverUrl}></ask-view>`)}
        ${state === 'connected' && this.session ? this.renderWorkbench(this.session) : nothing}
        ${v?.steps.length
          ? html`<details class="timeline">
              <summary>Authorization timeline (${v.steps.length} steps)</summary>
              <ol>
                ${v.steps.map(
                  (s) => html`<li class=${s.outcome}>
                    <span class="step">${s.step}</span> ${s.detail}${s.url ? html` <code>${s.url}</code>` : nothing}
                    ${s.document
                      ? html`<details class="doc">
                          <summary>${STEP_DOCUMENT[s.step] ?? 'Document'}</summary>
                          <pre tabindex="0">${JSON.stringify(s.document, null, 2)}</pre>
                        </details>`
                      : nothing}
                  </li>`,
                )}
              </ol>
            </details>`
          : nothing}
      </article>
    `;
  }

  private renderFacts(v: ConnectionView | undefined) {
    if (!v) return nothing;
    const rows: [string, string][] = [];
    if (this.session?.protocolVersion) rows.push(['Protocol', this.session.protocolVersion]);
    if (v.issuer) rows.push(['Authorization server', v.issuer]);
    if (v.registration) rows.push(['Client registration', v.registration.replace('-', ' ')]);
    if (v.tokenKind) rows.push(['Token', `${v.tokenKind === 'dpop' ? 'DPoP-bound' : 'Bearer'}${v.canRefresh ? ', refreshable' : ''}`]);
    if (v.expiresAt) rows.push(['Expires', new Date(v.expiresAt).toLocaleTimeString()]);
    if (v.scopesGranted?.length) rows.push(['Scopes granted', v.scopesGranted.join(' ')]);
    if (v.storage) rows.push(['Storage', v.storage]);
    if (!rows.length) return nothing;
    return html`<dl class="facts">${rows.map(([k, val]) => html`<dt>${k}</dt><dd>${val}</dd>`)}</dl>`;
  }

  /** The tabs of a connected server: what it offers, what it says, and what was said on the wire. */
  private renderWorkbench(session: McpSession) {
    const count: Partial<Record<Tab, number>> = {
      Tools: session.tools.length,
      Resources: session.resources.length + session.templates.length,
      Prompts: session.prompts.length,
      Log: this.logs.length,
    };
    // Every tab is always there, even empty: a resource link in a tool result is read in
    // Resources whether or not the server lists resources.
    const tabs = [...TABS];
    const current = tabs.includes(this.tab) ? this.tab : 'Tools';
    return html`
      <div class="tabs" role="tablist" aria-label="Workbench for ${this.server.serverUrl}" @keydown=${(e: KeyboardEvent) => this.onTabKey(e, tabs)}>
        ${tabs.map(
          (t) => html`<button
            role="tab"
            id="tab-${t}"
            aria-selected=${t === current ? 'true' : 'false'}
            aria-controls="panel-${t}"
            tabindex=${t === current ? 0 : -1}
            @click=${() => (this.tab = t)}
          >
            ${t}${count[t] !== undefined ? html` <span class="count">(${count[t]})</span>` : nothing}
          </button>`,
        )}
      </div>
      ${tabs.map(
        // Every panel stays in the page, hidden when not chosen: what was read or typed in one
        // is still there when the person comes back to it.
        (t) => html`<div id="panel-${t}" role="tabpanel" aria-labelledby="tab-${t}" data-tab=${t} ?hidden=${t !== current}>
          ${this.renderTab(t, session)}
        </div>`,
      )}
    `;
  }

  /** Arrow keys, Home and End move between tabs (WAI-ARIA tabs pattern, automatic activation). */
  private onTabKey(e: KeyboardEvent, tabs: Tab[]): void {
    const i = tabs.indexOf(this.tab);
    const next =
      e.key === 'ArrowRight' ? tabs[(i + 1) % tabs.length] : e.key === 'ArrowLeft' ? tabs[(i - 1 + tabs.length) % tabs.length] : e.key === 'Home' ? tabs[0] : e.key === 'End' ? tabs.at(-1) : undefined;
    if (!next) return;
    e.preventDefault();
    this.tab = next;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${next}`)?.focus());
  }

  private renderTab(tab: Tab, session: McpSession) {
    switch (tab) {
      case 'Tools':
        return this.renderTools(session.tools);
      case 'Resources':
        return html`<resources-panel .session=${session} .updates=${this.updates} .version=${this.listsVersion}></resources-panel>`;
      case 'Prompts':
        return html`<prompts-panel .session=${session} .version=${this.listsVersion}></prompts-panel>`;
      case 'Log':
        return html`<log-view
          .entries=${this.logs}
          .canSetLevel=${!!session.capabilities?.logging}
          @set-log-level=${(e: CustomEvent<LoggingLevel>) => void this.setLogLevel(e.detail)}
          @clear-log=${() => (this.logs = [])}
        ></log-view>`;
      case 'Protocol':
        return html`<wire-view .log=${this.wire} .active=${this.tab === 'Protocol'}></wire-view>`;
      case 'Roots':
        return html`<roots-editor .roots=${this.server.roots ?? []} @roots-changed=${(e: CustomEvent<Root[]>) => this.setRoots(e.detail)}></roots-editor>`;
    }
  }

  private renderTools(tools: Tool[]) {
    return html`<ul class="tools" aria-label="Tools" @read-resource=${(e: CustomEvent<{ uri: string }>) => void this.readLinked(e.detail.uri)}>
      ${tools.map((t) => {
        const out = this.outputs[t.name];
        return html`<li data-tool=${t.name}>
          <h4>${t.title ?? t.name}${t.title ? html` <code>${t.name}</code>` : nothing}</h4>
          ${t.description ? html`<p>${t.description}</p>` : nothing}
          ${this.renderAnnotations(t)}
          <details class="schema">
            <summary>Input schema of ${t.name}</summary>
            <pre tabindex="0" data-input-schema>${JSON.stringify(t.inputSchema, null, 2)}</pre>
          </details>
          <schema-form .schema=${t.inputSchema} .label=${`Arguments for ${t.name}`}></schema-form>
          <button class="call" @click=${(e: Event) => this.submitTool(t, (e.target as HTMLElement).closest('li')!)}>Call ${t.name}</button>
          ${out
            ? html`<output data-tool-result=${t.name} data-state=${out.state} aria-live="polite"
                >${out.result
                  ? html`<mcp-content
                      .blocks=${out.result.content ?? []}
                      .structured=${out.result.structuredContent}
                      .outputSchema=${t.outputSchema}
                      .isError=${!!out.result.isError}
                    ></mcp-content>`
                  : out.text}</output
              >
              ${out.fraction !== undefined && out.state === 'running'
                ? html`<progress max="1" .value=${out.fraction} aria-label="Progress of ${t.name}"></progress>`
                : nothing}
              ${out.abort && out.state === 'running' ? html`<button @click=${() => out.abort?.abort()}>Cancel ${t.name}</button>` : nothing}`
            : nothing}
        </li>`;
      })}
    </ul>`;
  }

  /** A resource link in a result: read in the Resources tab, where reads live. */
  private async readLinked(uri: string): Promise<void> {
    this.tab = 'Resources';
    await this.updateComplete;
    const panel = this.renderRoot.querySelector<ResourcesPanel>('resources-panel');
    if (panel) {
      await panel.read(uri);
      panel.scrollIntoView({ block: 'nearest' });
    }
  }

  /** MCP tool annotations are hints from the server, shown as such (not trusted for safety). */
  private renderAnnotations(t: Tool) {
    const a = t.annotations;
    if (!a) return nothing;
    const hints = [
      a.readOnlyHint ? 'read-only' : undefined,
      a.destructiveHint === true ? 'destructive' : undefined,
      a.idempotentHint ? 'idempotent' : undefined,
      a.openWorldHint ? 'open world' : undefined,
    ].filter(Boolean);
    return hints.length ? html`<p class="hints" aria-label="Hints from the server">${hints.map((h) => html`<span class="hint-tag">${h}</span>`)}</p>` : nothing;
  }

  static override styles = css`
    :host { display: block; overflow-wrap: anywhere; background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 1rem; }
    header { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: baseline; justify-content: space-between; }
    h2 { font-size: 1rem; margin: 0; word-break: break-all; }
    h3 { font-size: 0.95rem; margin: 1rem 0 0.5rem; }
    h4 { margin: 0; font-size: 0.95rem; }
    .badge { font-size: 0.8rem; padding: 0.1rem 0.5rem; border-radius: 999px; border: 1px solid var(--line); }
    .badge.connected { color: var(--ok); border-color: currentColor; }
    .badge.error { color: var(--err); border-color: currentColor; }
    .badge.needs-authorization { color: var(--warn); border-color: currentColor; }
    .error { color: var(--err); white-space: pre-wrap; }
    .reason, .warning { color: var(--warn); }
    .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-top: 0.75rem; }
    button { font: inherit; padding: 0.35rem 0.8rem; border-radius: 6px; border: 1px solid var(--line); background: transparent; color: var(--fg); cursor: pointer; }
    button.primary { background: var(--accent); color: var(--accent-fg); border-color: var(--accent); }
    button.quiet { color: var(--muted); }
    button:focus-visible, textarea:focus-visible, summary:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
    .facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 0.8rem; margin: 0.75rem 0 0; font-size: 0.85rem; }
    .facts dt { color: var(--muted); }
    .facts dd { margin: 0; word-break: break-word; }
    .tools { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.75rem; }
    .tools li { border-top: 1px solid var(--line); padding-top: 0.5rem; display: grid; gap: 0.3rem; grid-template-columns: minmax(0, 1fr); }
    .tools p { margin: 0; color: var(--muted); font-size: 0.9rem; }
    label { font-size: 0.8rem; color: var(--muted); }
    textarea { font: 0.85rem ui-monospace, monospace; width: 100%; box-sizing: border-box; background: var(--bg); color: var(--fg); border: 1px solid var(--line); border-radius: 6px; padding: 0.3rem; }
    .tools button { justify-self: start; }
    output { display: block; white-space: pre-wrap; font: 0.85rem ui-monospace, monospace; background: var(--bg); border-radius: 6px; padding: 0.4rem; word-break: break-word; }
    output[data-state='error'] { color: var(--err); }
    progress { width: 100%; }
    .tabs { display: flex; flex-wrap: wrap; gap: 0.25rem; margin-top: 1rem; border-bottom: 1px solid var(--line); }
    .tabs button { border: none; border-bottom: 3px solid transparent; border-radius: 0; padding: 0.4rem 0.6rem; }
    .tabs button[aria-selected='true'] { border-bottom-color: var(--accent); font-weight: 600; }
    .tabs .count { color: var(--muted); font-weight: normal; }
    [role='tabpanel'] { padding-top: 0.5rem; }
    .schema pre { font-size: 0.8rem; white-space: pre-wrap; background: var(--bg); padding: 0.4rem; border-radius: 6px; max-height: 20rem; overflow: auto; }
    .schema summary { font-size: 0.85rem; color: var(--muted); }
    .hints { display: flex; flex-wrap: wrap; gap: 0.3rem; }
    .hint-tag { font-size: 0.75rem; border: 1px solid var(--line); border-radius: 999px; padding: 0 0.4rem; }
    .timeline { margin-top: 0.75rem; font-size: 0.85rem; }
    .timeline ol { padding-left: 1.2rem; }
    .timeline li.fail { color: var(--err); }
    .timeline .step { font-weight: 600; }
    .timeline pre { font-size: 0.8rem; white-space: pre-wrap; word-break: break-word; background: var(--bg); padding: 0.4rem; border-radius: 6px; max-height: 20rem; overflow: auto; }
    code { word-break: break-all; color: var(--muted); }
  `;
}

customElements.define('server-card', ServerCard);
