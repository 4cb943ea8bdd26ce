/**
 * The sidebar: the app's name, the keyboard shortcuts, the "Add a server" form (folded once a
 * server exists) and the server list, each server with the state its card shows, its protocol
 * revision and its token kind and expiry, plus the list's export and import. It draws; the app
 * decides (adding, selecting, importing).
 */
import { LitElement, css, html, nothing } from 'lit';
import type { ConnectionState, ConnectionView } from '../protocol.ts';
import type { SavedServer } from './servers-store.ts';
import { STATE_LABEL, serverTitle } from './states.ts';

const KEEP_SIGNED_IN_RISK =
  'For servers without DPoP: any script running on this site could read a Bearer refresh token kept on this device, so tick this only on a browser you trust. DPoP-bound tokens are always kept, bound to this browser.';

/** The page's keyboard shortcuts, listed in the help popover (the app handles them). */
const SHORTCUTS: [string, string][] = [
  ['/', 'Filter the open list (tools, resources or prompts)'],
  ['n', 'Add a server: focus the URL field'],
  ['[ and ]', 'Previous and next server'],
  ['?', 'Show these shortcuts'],
  ['Enter', 'In a one-line tool field: call the tool'],
  ['Ctrl+Enter', 'Anywhere in a tool form: call the tool'],
  ['← →', 'On the tabs: move between them'],
  ['↑ ↓, Enter', 'In a list: move, and open'],
];

/** What a card last said of itself (the sidebar shows the same). */
export interface CardReport {
  state: ConnectionState;
  protocolVersion?: string;
  icon?: string;
}

export class KeyholeSidebar extends LitElement {
  static override properties = {
    servers: { attribute: false },
    views: { attribute: false },
    reports: { attribute: false },
    selected: { attribute: false },
    ready: { attribute: false },
    demoUrl: { attribute: false },
    formError: { attribute: false },
    formSuggestion: { attribute: false },
    listNotice: { attribute: false },
    add: { attribute: false },
    addOpen: { state: true },
  };

  declare servers: SavedServer[];
  declare views: Map<string, ConnectionView>;
  declare reports: Map<string, CardReport>;
  declare selected: string | undefined;
  declare ready: boolean;
  declare demoUrl: string | undefined;
  declare formError: string | undefined;
  /** The address meant, when the one typed lacks its scheme (offered as a button). */
  declare formSuggestion: string | undefined;
  declare listNotice: { text: string; error: boolean } | undefined;
  /** Adds a server (the app's rule); true when it was taken. */
  declare add: (server: SavedServer, clientSecret?: string) => Promise<boolean>;
  /** The add form, open by the person's choice (it is always open while the list is empty). */
  declare addOpen: boolean;

  constructor() {
    super();
    this.servers = [];
    this.views = new Map();
    this.reports = new Map();
    this.ready = false;
    this.addOpen = false;
    this.add = async () => false;
  }

  /** The "n" shortcut: the add form opens and its URL field takes the cursor. */
  async focusUrlField(): Promise<void> {
    this.addOpen = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#url')?.focus();
  }

  /** The "?" shortcut. */
  toggleShortcuts(): void {
    this.renderRoot.querySelector<HTMLElement>('#shortcuts')?.togglePopover();
  }

  private emit(type: string, detail?: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  private pickFile(input: HTMLInputElement): void {
    const file = input.files?.[0];
    input.value = '';
    if (file) this.emit('import-list', file);
  }

  private async onSubmit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? '').trim();
    const secret = value('clientSecret');
    const added = await this.add(
      {
        serverUrl: value('url'),
        keepSignedIn: data.get('keep') === 'on',
        ...(value('clientId') ? { clientId: value('clientId') } : {}),
        ...(value('scopes') ? { scopes: value('scopes') } : {}),
      },
      secret || undefined,
    );
    // Taken: the secret has gone to the worker with the connect, and does not stay in the form
    // (on a refused URL it stays, for the corrected address or "Use …").
    if (added) form.reset();
  }

  /** Puts the suggested address in the field and connects to it, with the settings as they are. */
  private useSuggestion(e: Event, url: string): void {
    const form = (e.target as HTMLElement).closest('form')!;
    (form.elements.namedItem('url') as HTMLInputElement).value = url;
    form.requestSubmit();
  }

  override render() {
    const addOpen = this.addOpen || !this.servers.length;
    return html`
      <header class="brand">
        <div>
          <h1>Keyhole</h1>
          <p class="tagline">MCP client. The service worker holds the tokens; this page never sees one.</p>
        </div>
        <button class="icon-button" popovertarget="shortcuts" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">?</button>
        <div id="shortcuts" popover>
          <h2>Keyboard shortcuts</h2>
          <dl>${SHORTCUTS.map(([k, what]) => html`<dt><kbd>${k}</kbd></dt><dd>${what}</dd>`)}</dl>
        </div>
      </header>
      <details class="add" ?open=${addOpen} @toggle=${(e: Event) => {
          // The person's choice, once there is one to make (while the list is empty the form is open
          // anyway, and the toggle event of that first opening is not a choice).
          if (this.servers.length) this.addOpen = (e.target as HTMLDetailsElement).open;
        }}>
        <summary>Add a server</summary>
        <form @submit=${(e: SubmitEvent) => void this.onSubmit(e)} aria-label="Add an MCP server">
          <label for="url">MCP server URL</label>
          <input
            id="url"
            name="url"
            type="text"
            inputmode="url"
            spellcheck="false"
            autocapitalize="off"
            required
            placeholder="https://example.com/mcp"
            autocomplete="url"
            aria-keyshortcuts="n"
          />
          ${this.formError ? html`<p role="alert" class="error">${this.formError}</p>` : nothing}
          ${this.formSuggestion
            ? html`<p class="hint">
                <button type="button" data-use-suggestion @click=${(e: Event) => this.useSuggestion(e, this.formSuggestion!)}>Use ${this.formSuggestion}</button>
              </p>`
            : nothing}
          ${this.demoUrl && this.servers.length
            ? html`<p class="hint">
                Demo server:
                <button type="button" class="link" @click=${() => void this.add({ serverUrl: this.demoUrl!, keepSignedIn: false })}>
                  ${this.demoUrl}
                </button>
              </p>`
            : nothing}
          <details class="client">
            <summary>Client settings</summary>
            <p class="hint">Only if you registered a client at the server’s authorization server yourself; otherwise Keyhole registers itself.</p>
            <label for="clientId">Client ID</label>
            <input id="clientId" name="clientId" autocomplete="off" />
            <label for="clientSecret">Client secret</label>
            <input id="clientSecret" name="clientSecret" type="password" autocomplete="off" />
            <label for="scopes">Scopes (optional, space separated)</label>
            <input id="scopes" name="scopes" autocomplete="off" />
          </details>
          <div class="keep">
            <input id="keep" name="keep" type="checkbox" aria-describedby="keep-risk" />
            <label for="keep">Keep me signed in on this device</label>
            <p id="keep-risk" class="hint">${KEEP_SIGNED_IN_RISK}</p>
          </div>
          <button type="submit" class="primary" ?disabled=${!this.ready}>Connect</button>
        </form>
      </details>
      <nav aria-label="Servers">
        <h2>Servers (${this.servers.length})</h2>
        <ul>
          ${this.servers.map((s) => this.renderServerEntry(s, s.serverUrl === this.selected))}
        </ul>
        <div class="list-actions">
          <button class="small" @click=${() => this.emit('export-list')} ?disabled=${!this.servers.length}>Export list</button>
          <label class="small file">
            Import list
            <input type="file" accept="application/json,.json" @change=${(e: Event) => this.pickFile(e.target as HTMLInputElement)} />
          </label>
        </div>
        ${this.listNotice
          ? html`<p role=${this.listNotice.error ? 'alert' : 'status'} class=${this.listNotice.error ? 'error' : 'hint'} data-list-notice>${this.listNotice.text}</p>`
          : nothing}
      </nav>
    `;
  }

  /** One server in the list: name, state (as its card says it), revision, token kind and expiry. */
  private renderServerEntry(s: SavedServer, current: boolean) {
    const v = this.views.get(s.serverUrl);
    const report = this.reports.get(s.serverUrl);
    const state: ConnectionState = report?.state ?? v?.state ?? 'disconnected';
    const facts = [
      report?.protocolVersion,
      v?.tokenKind ? `${v.tokenKind === 'dpop' ? 'DPoP' : 'Bearer'}${v.expiresAt ? `, expires ${new Date(v.expiresAt).toLocaleTimeString()}` : ''}` : undefined,
    ].filter(Boolean);
    return html`<li data-overview=${s.serverUrl}>
      <button class="entry" aria-current=${current ? 'true' : 'false'} @click=${() => this.emit('select-server', s.serverUrl)}>
        <span class="name">
          ${report?.icon ? html`<img src=${report.icon} alt="" width="16" height="16" />` : nothing}
          <span>${serverTitle(s)}</span>
        </span>
        <span class="state ${state}" data-overview-state=${state}>${STATE_LABEL[state]}</span>
        ${facts.length ? html`<span class="facts">${facts.join(' · ')}</span>` : nothing}
      </button>
    </li>`;
  }

  static override styles = css`
    :host { display: grid; gap: 0.75rem; align-content: start; min-width: 0; }
    .brand { display: flex; gap: 0.5rem; align-items: start; justify-content: space-between; }
    h1 { margin: 0; font-size: 1.4rem; }
    .tagline { margin: 0.1rem 0 0; color: var(--muted); font-size: 0.8rem; }
    h2 { font-size: 0.95rem; margin: 0 0 0.4rem; }
    [popover] { border: 1px solid var(--line); border-radius: 10px; background: var(--card); color: var(--fg); padding: 1rem; max-width: min(28rem, 90vw); }
    [popover] dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 0.8rem; margin: 0; font-size: 0.9rem; }
    [popover] dd { margin: 0; }
    kbd { font: 0.8rem ui-monospace, monospace; border: 1px solid var(--line); border-radius: 4px; padding: 0 0.3rem; }
    details.add, nav { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 0.75rem; }
    details.add > summary { font-weight: 600; cursor: pointer; }
    details.add form { display: grid; gap: 0.4rem; margin-top: 0.5rem; }
    details.client summary { cursor: pointer; font-size: 0.9rem; }
    details.client[open] { display: grid; gap: 0.3rem; padding-bottom: 0.3rem; }
    details.client input { display: block; width: 100%; box-sizing: border-box; margin-bottom: 0.3rem; }
    .keep { display: grid; grid-template-columns: auto 1fr; gap: 0 0.5rem; align-items: center; }
    .keep .hint { grid-column: 2; margin: 0; }
    nav ul { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.25rem; }
    .entry { display: grid; gap: 0.1rem; width: 100%; text-align: left; border: 1px solid transparent; border-left: 3px solid transparent; padding: 0.4rem 0.5rem; background: transparent; }
    .entry:hover { background: var(--bg); }
    .entry[aria-current='true'] { background: var(--bg); border-left-color: var(--accent); }
    .entry .name { display: flex; gap: 0.4rem; align-items: center; font-weight: 600; font-size: 0.9rem; min-width: 0; }
    .entry .name span { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .entry .state { font-size: 0.8rem; color: var(--muted); }
    .entry .state.connected { color: var(--ok); }
    .entry .state.error { color: var(--err); }
    .entry .state.needs-authorization { color: var(--warn); }
    .entry .facts { font-size: 0.75rem; color: var(--muted); }
    .list-actions { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-top: 0.6rem; align-items: center; }
    label.file { position: relative; display: inline-block; cursor: pointer; }
    label.file input { position: absolute; inset: 0; opacity: 0; cursor: pointer; width: 100%; }
    label.file:focus-within { outline: 3px solid var(--accent); outline-offset: 2px; }
    input { font: inherit; padding: 0.4rem; border-radius: 6px; border: 1px solid var(--line); background: var(--bg); color: var(--fg); min-width: 0; }
    label { font-size: 0.9rem; }
    .hint { color: var(--muted); font-size: 0.85rem; margin: 0.2rem 0; }
    button, label.file { font: inherit; font-size: 0.9rem; line-height: 1.3; padding: 0.4rem 0.9rem; border-radius: 6px; border: 1px solid var(--line); background: var(--card); color: var(--fg); cursor: pointer; }
    .list-actions .small { font-size: 0.85rem; padding: 0.3rem 0.7rem; }
    button.primary { background: var(--accent); color: var(--accent-fg); border-color: var(--accent); }
    button.primary[type='submit'] { justify-self: start; }
    button:disabled { opacity: 0.5; cursor: not-allowed; border-style: dashed; }
    button.link { border: none; padding: 0; color: var(--accent); text-decoration: underline; word-break: break-all; text-align: left; background: transparent; }
    .icon-button { padding: 0.1rem 0.55rem; border-radius: 999px; font-weight: 600; }
    button:focus-visible, input:focus-visible, summary:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
    .error { color: var(--err); margin: 0; }
  `;
}

customElements.define('keyhole-sidebar', KeyholeSidebar);
