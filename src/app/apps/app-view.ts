/**
 * `<mcp-app-view>`: one MCP App in the card, under a tool's result or alone (a `ui://` resource
 * opened from Resources). It reads the app's resource through the card's session, frames the
 * sandbox proxy (another origin: KEYHOLE_SANDBOX_URL), and shows what the app asks of the person
 * (a tool's first call, a link) and the host's log of what the app did and what was refused.
 * "Full width" shows the app over the whole window (the app's "fullscreen" display mode).
 */
// First, as in workbench-view.ts: zod must be told not to generate code before any schema is
// built (Trusted Types). This lazily loaded module reaches zod through its own imports too, and
// the bundler orders a chunk's modules by every path that reaches them: without this line the
// SDK's schemas were built before zod-jitless ran (a Trusted Types violation on every connect).
import '../zod-jitless.ts';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { CallToolResult, ReadResourceResult, Tool } from '@modelcontextprotocol/client';
import type { McpUiHostContext, McpUiResourceCsp } from '@modelcontextprotocol/ext-apps/app-bridge';
import type { McpSession } from '../mcp-session.ts';
import { panelStyles } from '../panels/panel-styles.ts';
import { buildAppCsp } from './app-csp.ts';
import { AppHost, type AppHostView } from './app-host.ts';
import { appsAvailability, sandboxFrameUrl } from './sandbox-config.ts';

type Question = ({ kind: 'tool'; tool: string; args: Record<string, unknown> } | { kind: 'link'; url: string }) & { answer: (yes: boolean) => void };

interface LoadedApp {
  html: string;
  csp: McpUiResourceCsp | undefined;
  policy: string;
  prefersBorder: boolean | undefined;
}

/** The app's frame never grows past this (a misbehaving app cannot push the page away). */
const MAX_HEIGHT = 1600;
const MIN_HEIGHT = 60;
/**
 * How long the sandbox proxy may take to say it is ready. One that never does (its site not
 * published at KEYHOLE_SANDBOX_URL, unreachable, or a proxy that refused to start, as in Firefox
 * before the proxy read a masked ancestor origin right) would leave an empty frame: the view says so.
 */
const SANDBOX_WAIT_MS = 15_000;

function decodeBase64Utf8(blob: string): string {
  const bytes = Uint8Array.from(atob(blob), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** The app's HTML and its `_meta.ui` from a `resources/read` result (SEP-1865 "UI Resource Format"). */
export function appContent(result: ReadResourceResult, uri: string): { html: string; meta: { csp?: McpUiResourceCsp; domain?: unknown; prefersBorder?: boolean } } {
  const entry = result.contents.find((c) => c.uri === uri) ?? result.contents[0];
  if (!entry) throw new Error(`The server returned nothing for ${uri}.`);
  if (!entry.mimeType?.startsWith('text/html')) throw new Error(`${uri} is ${entry.mimeType ?? 'of no type'}, not text/html;profile=mcp-app.`);
  const html = 'text' in entry && typeof entry.text === 'string' ? entry.text : 'blob' in entry && typeof entry.blob === 'string' ? decodeBase64Utf8(entry.blob) : undefined;
  if (html === undefined) throw new Error(`${uri} has no HTML.`);
  const meta = ((entry._meta as { ui?: unknown } | undefined)?.ui ?? {}) as { csp?: McpUiResourceCsp; domain?: unknown; prefersBorder?: boolean };
  return { html, meta };
}

export class McpAppView extends LitElement implements AppHostView {
  static override properties = {
    session: { attribute: false },
    resourceUri: { attribute: false },
    tool: { attribute: false },
    input: { attribute: false },
    result: { attribute: false },
    loaded: { state: true },
    error: { state: true },
    stalled: { state: true },
    entries: { state: true },
    question: { state: true },
    height: { state: true },
    full: { type: Boolean, reflect: true },
  };

  declare session: McpSession | undefined;
  declare resourceUri: string;
  declare tool: Tool | undefined;
  declare input: Record<string, unknown> | undefined;
  declare result: CallToolResult | undefined;
  declare loaded: LoadedApp | undefined;
  declare error: string | undefined;
  /** Why the sandbox did not answer in time; cleared if it answers after all. */
  declare stalled: string | undefined;
  declare entries: { at: number; text: string }[];
  declare question: Question | undefined;
  declare height: number;
  declare full: boolean;

  private host_: AppHost | undefined;
  private started = false;
  /** Whether this view's sandbox proxy said it is ready. */
  private ready = false;
  private readonly availability = appsAvailability();
  private readonly onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && this.full) this.displayMode('inline');
  };

  constructor() {
    super();
    this.resourceUri = '';
    this.entries = [];
    this.height = 160;
    this.full = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.onKey);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.onKey);
    this.question?.answer(false);
    void this.host_?.close();
    this.host_ = undefined;
    this.started = false;
    this.ready = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('result')) this.host_?.update(this.result);
    if ((changed.has('session') || changed.has('resourceUri')) && this.session && this.resourceUri && this.availability.on && !this.loaded && !this.error) {
      void this.load(this.session, this.resourceUri);
    }
  }

  private async load(session: McpSession, uri: string): Promise<void> {
    try {
      const { html, meta } = appContent(await session.readResource(uri, { record: false }), uri);
      const built = buildAppCsp(meta.csp);
      this.log(`Loaded ${uri}. Its policy: ${built.policy}`);
      for (const r of built.rejected) this.log(`Left out of the policy: ${r}`);
      // SEP-1865: the domain's format is host-dependent; this host has one sandbox origin for every app.
      if (typeof meta.domain === 'string') this.log(`The app asked for its own origin (${meta.domain}); Keyhole runs every app on its one sandbox origin.`);
      this.loaded = { html, csp: meta.csp, policy: built.policy, prefersBorder: meta.prefersBorder };
    } catch (err) {
      this.error = `Could not load the app: ${(err as Error).message}`;
    }
  }

  protected override updated(): void {
    const frame = this.renderRoot.querySelector<HTMLIFrameElement>('iframe');
    // Through the CSSOM: Keyhole's CSP allows no style attribute (style-src 'self').
    if (frame) frame.style.height = this.full ? '' : `${this.height}px`;
    if (!frame || this.started || !this.loaded || !this.session || !this.availability.on) return;
    const win = frame.contentWindow;
    if (!win) return;
    this.started = true;
    const host = new AppHost(this);
    this.host_ = host;
    host
      .start({
        session: this.session,
        frame: win,
        sandboxOrigin: this.availability.url.origin,
        html: this.loaded.html,
        csp: this.loaded.csp,
        ...(this.tool ? { tool: this.tool } : {}),
        ...(this.input ? { input: this.input } : {}),
        ...(this.result ? { result: this.result } : {}),
        hostContext: this.context(),
      })
      .catch((err: Error) => (this.error = `The app could not start: ${err.message}`));
    const origin = this.availability.url.origin;
    window.setTimeout(() => {
      if (this.host_ !== host || this.ready) return;
      this.stalled = `The app’s sandbox (${origin}) did not answer within ${SANDBOX_WAIT_MS / 1000} s, so the app cannot start. Keyhole runs apps on that origin: its sandbox site must be published there (docs/hosting.md) and reachable from this browser.`;
      this.log(this.stalled);
    }, SANDBOX_WAIT_MS);
  }

  private context(): McpUiHostContext {
    return {
      theme: matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light',
      displayMode: this.full ? 'fullscreen' : 'inline',
      availableDisplayModes: ['inline', 'fullscreen'],
      platform: 'web',
      locale: navigator.language,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      containerDimensions: { maxHeight: MAX_HEIGHT },
      ...(this.tool ? { toolInfo: { tool: this.tool } } : {}),
    };
  }

  // AppHostView
  sandboxReady(): void {
    this.ready = true;
    if (this.stalled) this.log('The app’s sandbox answered after all.');
    this.stalled = undefined;
  }

  log(text: string): void {
    this.entries = [...this.entries.slice(-199), { at: Date.now(), text }];
  }

  ask(q: { kind: 'tool'; tool: string; args: Record<string, unknown> } | { kind: 'link'; url: string }): Promise<boolean> {
    // One question at a time: a new one while another waits is refused (an app cannot queue up prompts).
    if (this.question) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.question = {
        ...q,
        answer: (yes) => {
          this.question = undefined;
          resolve(yes);
        },
      };
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('.question button.primary')?.focus());
    });
  }

  resize({ height }: { width?: number; height?: number }): void {
    if (typeof height === 'number' && Number.isFinite(height)) this.height = Math.max(MIN_HEIGHT, Math.min(MAX_HEIGHT, Math.ceil(height)));
  }

  displayMode(mode: 'inline' | 'fullscreen'): 'inline' | 'fullscreen' {
    this.full = mode === 'fullscreen';
    this.host_?.setContext(this.context());
    return mode;
  }

  override render() {
    const name = this.tool ? `the app of ${this.tool.name}` : `the app ${this.resourceUri}`;
    if (!this.availability.on) return html`<p class="hint" data-apps-off>${this.availability.reason}</p>`;
    return html`<section class="app" aria-label=${`MCP App: ${this.resourceUri}`}>
      <div class="bar">
        <span class="title">App <code>${this.resourceUri}</code></span>
        <button @click=${() => this.displayMode(this.full ? 'inline' : 'fullscreen')} aria-pressed=${this.full ? 'true' : 'false'}>
          ${this.full ? 'Exit full width' : 'Full width'}
        </button>
      </div>
      ${this.question ? this.renderQuestion(this.question) : nothing}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.stalled ? html`<p class="error" role="alert" data-sandbox-stalled>${this.stalled}</p>` : nothing}
      ${this.loaded
        ? html`<iframe
            class=${this.loaded.prefersBorder === false ? 'borderless' : ''}
            title=${`MCP App ${this.resourceUri} (sandboxed)`}
            src=${sandboxFrameUrl(this.availability.url)}
            sandbox="allow-scripts allow-same-origin"
            referrerpolicy="no-referrer"
            data-sandbox-origin=${this.availability.url.origin}
          ></iframe>`
        : this.error
          ? nothing
          : html`<p class="hint">Loading ${name}…</p>`}
      <details class="log">
        <summary>App activity (${this.entries.length})</summary>
        ${this.loaded ? html`<p class="hint">Policy: <code data-app-policy>${this.loaded.policy}</code></p>` : nothing}
        <ol data-app-log>
          ${this.entries.map((e) => html`<li><time>${new Date(e.at).toLocaleTimeString()}</time> ${e.text}</li>`)}
        </ol>
      </details>
    </section>`;
  }

  private renderQuestion(q: Question) {
    return html`<div class="question" role="group" aria-label="The app asks">
      ${q.kind === 'tool'
        ? html`<p>The app wants to call <code>${q.tool}</code> on this server, with your authorization:</p>
            <pre tabindex="0">${JSON.stringify(q.args, null, 2)}</pre>
            <p class="hint">If you allow it, the app may call ${q.tool} again until this connection ends.</p>`
        : html`<p>The app wants to open <code class="url">${q.url}</code> in a new tab.</p>`}
      <div class="buttons">
        <button class="primary" @click=${() => q.answer(true)}>${q.kind === 'tool' ? `Allow ${q.tool}` : 'Open'}</button>
        <button @click=${() => q.answer(false)}>${q.kind === 'tool' ? 'Deny' : 'Do not open'}</button>
      </div>
    </div>`;
  }

  static override styles = [
    panelStyles,
    css`
      .app { display: grid; gap: 0.4rem; }
      .bar { display: flex; align-items: center; gap: 0.5rem; flex-wrap: wrap; }
      .bar .title { font-size: 0.85rem; color: var(--muted); margin-right: auto; overflow-wrap: anywhere; }
      iframe { display: block; width: 100%; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); box-sizing: border-box; }
      iframe.borderless { border-color: transparent; }
      .question { border: 2px solid var(--accent); border-radius: 6px; padding: 0.5rem; display: grid; gap: 0.4rem; }
      .question p { margin: 0; }
      .question pre { margin: 0; font-size: 0.8rem; max-height: 10rem; overflow: auto; background: var(--bg); padding: 0.3rem; }
      .question .url { overflow-wrap: anywhere; }
      .buttons { display: flex; gap: 0.5rem; flex-wrap: wrap; }
      .log summary { font-size: 0.85rem; color: var(--muted); cursor: pointer; }
      .log ol { margin: 0.3rem 0 0; padding-left: 1.2rem; font-size: 0.8rem; max-height: 12rem; overflow: auto; }
      .log code { overflow-wrap: anywhere; font-size: 0.75rem; }
      time { color: var(--muted); }
      :host([full]) { position: fixed; inset: 0; z-index: 50; background: var(--panel, var(--bg)); padding: 0.75rem; overflow: auto; }
      :host([full]) iframe { height: calc(100vh - 6rem); }
    `,
  ];
}

customElements.define('mcp-app-view', McpAppView);
