/**
 * One MCP server: its state as the service worker reports it, the actions a person can take,
 * and its tools. Every server-supplied string is rendered as text (Lit escapes bindings).
 */
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { CallToolResult } from '@modelcontextprotocol/client';
import type { ConnectionState, ConnectionView } from '../protocol.ts';
import { McpFailure, McpSession, type ProtocolChoice } from './mcp-session.ts';
import { setPendingCall, takePendingCall, type SavedServer } from './servers-store.ts';
import type { SwBridge } from './sw-bridge.ts';
import { checkEndpointUrl } from '../sw/rules/urls.ts';

interface ToolOutput {
  state: 'running' | 'ok' | 'error';
  text: string;
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
  };

  declare server: SavedServer;
  declare view: ConnectionView | undefined;
  declare bridge: SwBridge;
  declare protocol: ProtocolChoice;
  declare sessionState: 'idle' | 'opening' | 'open';
  declare localError: string | undefined;
  declare notice: string | undefined;
  declare outputs: Record<string, ToolOutput>;
  /** Resource reads and prompt gets, keyed `resource:<uri>` / `prompt:<name>`. */
  declare reads: Record<string, { state: 'running' | 'ok' | 'error'; text: string }>;
  /** A tool call interrupted by a 401/403, to run again after authorization. */
  declare waitingCall: string | undefined;
  private session: McpSession | undefined;
  private leaving = false;
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  declare retryAt: number | undefined;

  constructor() {
    super();
    this.sessionState = 'idle';
    this.outputs = {};
    this.reads = {};
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
      if ((now === 'connecting' || now === 'connected') && before !== now && this.sessionState === 'idle' && !this.localError && !this.leaving) {
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
    if (this.sessionState === 'opening') return;
    this.sessionState = 'opening';
    const session = new McpSession(this.server.serverUrl, this.protocol);
    this.session = session;
    try {
      await session.open();
      if (this.session !== session) return;
      this.sessionState = 'open';
      const pending = takePendingCall(this.server.serverUrl);
      this.waitingCall = undefined;
      if (pending) void this.callTool(pending.tool, pending.args);
    } catch (err) {
      if (this.session !== session) return;
      this.sessionState = 'idle';
      this.session = undefined;
      // A 401/403 is explained by the worker's state (needs authorization, or an error from
      // discovery); anything else is the page's own failure to report.
      if (!(err instanceof McpFailure && err.kind === 'auth')) this.localError = (err as Error).message;
    }
  }

  private async closeSession(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    this.sessionState = 'idle';
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
    this.reads = {};
    const result = await this.bridge.send({ type: 'disconnect', serverUrl: this.server.serverUrl });
    this.localError = undefined;
    this.notice = result.ok ? 'Disconnected: tokens revoked and forgotten.' : result.error;
  }

  private removeServer(): void {
    this.dispatchEvent(new CustomEvent('remove-server', { detail: this.server.serverUrl, bubbles: true, composed: true }));
  }

  private async callTool(name: string, rawArgs: string): Promise<void> {
    let args: Record<string, unknown>;
    try {
      const parsed = JSON.parse(rawArgs || '{}') as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('arguments must be a JSON object');
      args = parsed as Record<string, unknown>;
    } catch (err) {
      this.setOutput(name, { state: 'error', text: `Invalid arguments: ${(err as Error).message}` });
      return;
    }
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
      this.setOutput(name, { state: result.isError ? 'error' : 'ok', text: renderResult(result) });
    } catch (err) {
      if (err instanceof McpFailure && err.kind === 'auth') {
        // The worker records the step-up; after authorization the call runs again by itself.
        setPendingCall({ serverUrl: this.server.serverUrl, tool: name, args: rawArgs });
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

  /** Runs one resource read or prompt get and shows its text (server text stays text). */
  private async fetchText(key: string, run: (session: McpSession) => Promise<string>): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.reads = { ...this.reads, [key]: { state: 'running', text: 'Reading…' } };
    try {
      this.reads = { ...this.reads, [key]: { state: 'ok', text: await run(session) } };
    } catch (err) {
      this.reads = { ...this.reads, [key]: { state: 'error', text: (err as Error).message } };
    }
  }

  private readResource(uri: string): Promise<void> {
    return this.fetchText(`resource:${uri}`, async (s) =>
      (await s.readResource(uri)).contents
        .map((c) => ('text' in c && typeof c.text === 'string' ? c.text : `[${c.mimeType ?? 'binary'} content, ${String(('blob' in c && c.blob) || '').length} base64 characters]`))
        .join('\n'),
    );
  }

  private getPrompt(name: string, form: HTMLFormElement): Promise<void> {
    const args: Record<string, string> = {};
    for (const [k, v] of new FormData(form)) if (typeof v === 'string' && v !== '') args[k] = v;
    return this.fetchText(`prompt:${name}`, async (s) =>
      (await s.getPrompt(name, args)).messages
        .map((m) => `${m.role}: ${m.content.type === 'text' ? m.content.text : `[${m.content.type}]`}`)
        .join('\n'),
    );
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
          <h2 id="title">${this.server.serverUrl}</h2>
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
        ${state === 'connected' ? html`${this.renderTools()}${this.renderResources()}${this.renderPrompts()}` : nothing}
        ${v?.steps.length
          ? html`<details class="timeline">
              <summary>Authorization timeline (${v.steps.length} steps)</summary>
              <ol>
                ${v.steps.map(
                  (s) => html`<li class=${s.outcome}>
                    <span class="step">${s.step}</span> ${s.detail}${s.url ? html` <code>${s.url}</code>` : nothing}
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

  /** One list of what the server offers: a labelled section, its count, an item per entry. */
  private listSection<T>(label: string, items: T[], item: (entry: T) => TemplateResult) {
    return html`<section aria-label=${label}>
      <h3>${label} (${items.length})</h3>
      <ul class="tools">
        ${items.map(item)}
      </ul>
    </section>`;
  }

  private renderTools() {
    return this.listSection('Tools', this.session?.tools ?? [], (t) => {
      const out = this.outputs[t.name];
      const id = `args-${t.name}`;
      return html`<li data-tool=${t.name}>
        <h4>${t.title ?? t.name}</h4>
        ${t.description ? html`<p>${t.description}</p>` : nothing}
        <label for=${id}>Arguments for ${t.name}</label>
        <textarea id=${id} rows="2" spellcheck="false">{}</textarea>
        <button
          @click=${(e: Event) => {
            const ta = (e.target as HTMLElement).parentElement!.querySelector('textarea')!;
            void this.callTool(t.name, ta.value);
          }}
        >
          Call ${t.name}
        </button>
        ${out
          ? html`<output data-tool-result=${t.name} data-state=${out.state} aria-live="polite">${out.text}</output>
              ${out.fraction !== undefined && out.state === 'running'
                ? html`<progress max="1" .value=${out.fraction} aria-label="Progress of ${t.name}"></progress>`
                : nothing}
              ${out.abort && out.state === 'running'
                ? html`<button @click=${() => out.abort?.abort()}>Cancel ${t.name}</button>`
                : nothing}`
          : nothing}
      </li>`;
    });
  }

  private renderResources() {
    const resources = this.session?.resources ?? [];
    if (!resources.length) return nothing;
    return this.listSection('Resources', resources, (r) => {
      const out = this.reads[`resource:${r.uri}`];
      return html`<li data-resource=${r.uri}>
        <h4>${r.title ?? r.name}</h4>
        <p><code>${r.uri}</code>${r.mimeType ? html` · ${r.mimeType}` : nothing}</p>
        ${r.description ? html`<p>${r.description}</p>` : nothing}
        <button @click=${() => void this.readResource(r.uri)}>Read ${r.name}</button>
        ${out ? html`<output data-resource-result=${r.uri} data-state=${out.state} aria-live="polite">${out.text}</output>` : nothing}
      </li>`;
    });
  }

  private renderPrompts() {
    const prompts = this.session?.prompts ?? [];
    if (!prompts.length) return nothing;
    return this.listSection('Prompts', prompts, (p) => {
      const out = this.reads[`prompt:${p.name}`];
      return html`<li data-prompt=${p.name}>
        <h4>${p.title ?? p.name}</h4>
        ${p.description ? html`<p>${p.description}</p>` : nothing}
        <form
          aria-label="Arguments for prompt ${p.name}"
          @submit=${(e: SubmitEvent) => {
            e.preventDefault();
            void this.getPrompt(p.name, e.target as HTMLFormElement);
          }}
        >
          ${(p.arguments ?? []).map(
            (a) => html`<label for="prompt-${p.name}-${a.name}">${a.name}${a.required ? ' (required)' : ''}</label>
              <input id="prompt-${p.name}-${a.name}" name=${a.name} ?required=${!!a.required} autocomplete="off" />`,
          )}
          <button type="submit">Get prompt ${p.name}</button>
        </form>
        ${out ? html`<output data-prompt-result=${p.name} data-state=${out.state} aria-live="polite">${out.text}</output>` : nothing}
      </li>`;
    });
  }

  static override styles = css`
    :host { display: block; background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 1rem; }
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
    .tools li { border-top: 1px solid var(--line); padding-top: 0.5rem; display: grid; gap: 0.3rem; }
    .tools p { margin: 0; color: var(--muted); font-size: 0.9rem; }
    label { font-size: 0.8rem; color: var(--muted); }
    textarea { font: 0.85rem ui-monospace, monospace; width: 100%; box-sizing: border-box; background: var(--bg); color: var(--fg); border: 1px solid var(--line); border-radius: 6px; padding: 0.3rem; }
    .tools button { justify-self: start; }
    output { display: block; white-space: pre-wrap; font: 0.85rem ui-monospace, monospace; background: var(--bg); border-radius: 6px; padding: 0.4rem; word-break: break-word; }
    output[data-state='error'] { color: var(--err); }
    progress { width: 100%; }
    .timeline { margin-top: 0.75rem; font-size: 0.85rem; }
    .timeline ol { padding-left: 1.2rem; }
    .timeline li.fail { color: var(--err); }
    .timeline .step { font-weight: 600; }
    code { word-break: break-all; color: var(--muted); }
  `;
}

function renderResult(result: CallToolResult): string {
  const parts = (result.content ?? []).map((c) => (c.type === 'text' ? c.text : JSON.stringify(c, null, 2)));
  if (result.structuredContent && !parts.length) parts.push(JSON.stringify(result.structuredContent, null, 2));
  return parts.join('\n') || '(empty result)';
}

customElements.define('server-card', ServerCard);
