/**
 * The page: a sidebar (add a server, the server list with each one's state) and the main area
 * showing the selected server's card. Connection state comes from the service worker; the
 * server list (never a secret) is remembered in localStorage.
 */
import { LitElement, css, html, nothing } from 'lit';
import type { ConnectionState, ConnectionView } from '../protocol.ts';
import type { ProtocolChoice } from './mcp-session.ts';
import type { ServerCard } from './server-card.ts';
import './server-card.ts';
import { exportServers, loadServers, parseAnyServerList, saveServers, type SavedServer } from './servers-store.ts';
import { forgetDrafts } from './drafts-store.ts';
import { forgetServer as forgetHistory } from './history-store.ts';
import { STATE_LABEL, serverTitle } from './states.ts';
import { SwBridge } from './sw-bridge.ts';
// The worker's pure URL rule, so the page refuses exactly what the worker would (MCP C1/C3).
import { checkEndpointUrl, suggestEndpointUrl } from '../sw/rules/urls.ts';

const PROTOCOL_KEY = 'keyhole:protocol';
/** The selected server, kept for the tab across the authorization redirect (which drops `?server=`). */
const SELECTED_KEY = 'keyhole:server';
/** How long a removed server can be brought back before its tokens are revoked. */
const UNDO_MS = 8000;

const KEEP_SIGNED_IN_RISK =
  'For servers without DPoP: any script running on this site could read a Bearer refresh token kept on this device, so tick this only on a browser you trust. DPoP-bound tokens are always kept, bound to this browser.';

/** What each card last said of itself (the sidebar shows the same). */
interface CardReport {
  state: ConnectionState;
  protocolVersion?: string;
  icon?: string;
}

/** The page's keyboard shortcuts, listed in the help popover. */
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

export class KeyholeApp extends LitElement {
  static override properties = {
    servers: { state: true },
    views: { state: true },
    fatal: { state: true },
    banner: { state: true },
    formError: { state: true },
    formSuggestion: { state: true },
    demoUrl: { state: true },
    ready: { state: true },
    updateReady: { state: true },
    updateBlockers: { state: true },
    offline: { state: true },
    listNotice: { state: true },
    reports: { state: true },
    selected: { state: true },
    addOpen: { state: true },
    removed: { state: true },
  };

  declare servers: SavedServer[];
  declare views: Map<string, ConnectionView>;
  declare fatal: string | undefined;
  declare banner: string | undefined;
  declare formError: string | undefined;
  /** The address meant, when the one typed lacks its scheme (offered as a button). */
  declare formSuggestion: string | undefined;
  declare demoUrl: string | undefined;
  declare ready: boolean;
  /** A new version of Keyhole is installed and waits for the person to reload. */
  declare updateReady: boolean;
  /** What reloading now would interrupt, once the person asked to update. */
  declare updateBlockers: string[] | undefined;
  declare offline: boolean;
  /** The outcome of an import or export, in words. */
  declare listNotice: { text: string; error: boolean } | undefined;
  /** Server URL → what its card shows (state, protocol revision, icon). */
  declare reports: Map<string, CardReport>;
  /** The server shown in the main area. */
  declare selected: string | undefined;
  /** The add form, open by the person's choice (it is always open while the list is empty). */
  declare addOpen: boolean;
  /** A server just removed, which Undo brings back until its timer runs out. */
  declare removed: { server: SavedServer; index: number; timer: ReturnType<typeof setTimeout> } | undefined;
  private readonly bridge = new SwBridge();
  private readonly protocol: ProtocolChoice;

  constructor() {
    super();
    this.servers = loadServers();
    this.views = new Map();
    this.ready = false;
    this.updateReady = false;
    this.offline = !navigator.onLine;
    this.reports = new Map();
    this.addOpen = false;
    // `?protocol=` pins a revision for this tab; remembered for the tab, so that coming back from
    // the authorization server (to the bare app URL) keeps it. `?protocol=auto` unpins.
    const params = new URLSearchParams(location.search);
    const asked = params.get('protocol');
    if (asked) sessionStorage.setItem(PROTOCOL_KEY, asked);
    const p = asked ?? sessionStorage.getItem(PROTOCOL_KEY);
    this.protocol = p === '2025-11-25' || p === '2026-07-28' ? p : 'auto';
    this.select(params.get('server') ?? sessionStorage.getItem(SELECTED_KEY) ?? undefined);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('offline', this.onNetworkChange);
    window.addEventListener('online', this.onNetworkChange);
    window.addEventListener('keydown', this.onShortcut);
    window.addEventListener('pagehide', this.onPageHide);
    this.bridge.onUpdateReady(() => (this.updateReady = true));
    this.bridge.onVersionSwitch({
      pause: async () => {
        await Promise.all(this.cards().map((c) => c.pauseForUpdate()));
      },
      resume: () => {
        for (const c of this.cards()) c.resumeAfterUpdate();
      },
    });
    void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('offline', this.onNetworkChange);
    window.removeEventListener('online', this.onNetworkChange);
    window.removeEventListener('keydown', this.onShortcut);
    window.removeEventListener('pagehide', this.onPageHide);
  }

  private readonly onNetworkChange = (): void => {
    this.offline = !navigator.onLine;
    if (this.offline) return;
    for (const card of this.cards()) card.retryIfUnreachable();
  };

  /** Leaving with a removal not yet final: it becomes final now (the worker revokes). */
  private readonly onPageHide = (): void => {
    if (this.removed) this.finishRemoval();
  };

  /** Shortcuts work where typing does not: never while a field, list or editor has the keys. */
  private readonly onShortcut = (e: KeyboardEvent): void => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    const target = e.composedPath()[0] as HTMLElement | undefined;
    if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
    if (e.key === '/') {
      e.preventDefault();
      this.selectedCard()?.focusFilter();
    } else if (e.key === 'n') {
      e.preventDefault();
      void this.focusUrlField();
    } else if (e.key === '?') {
      e.preventDefault();
      this.renderRoot.querySelector<HTMLElement>('#shortcuts')?.togglePopover();
    } else if (e.key === '[' || e.key === ']') {
      const i = this.servers.findIndex((s) => s.serverUrl === this.selected);
      const next = this.servers[(i + (e.key === ']' ? 1 : -1) + this.servers.length) % this.servers.length];
      if (next) this.show(next.serverUrl);
    }
  };

  private async focusUrlField(): Promise<void> {
    this.addOpen = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#url')?.focus();
  }

  private cards(): ServerCard[] {
    return [...this.renderRoot.querySelectorAll<ServerCard>('server-card')];
  }

  private selectedCard(): ServerCard | undefined {
    return this.cards().find((c) => c.server.serverUrl === this.selected);
  }

  /** Chooses the server the main area shows: a listed one, else the first (none when the list is empty). */
  private select(serverUrl: string | undefined): void {
    const chosen = this.servers.find((s) => s.serverUrl === serverUrl) ?? this.servers[0];
    this.selected = chosen?.serverUrl;
    if (this.selected) sessionStorage.setItem(SELECTED_KEY, this.selected);
    else sessionStorage.removeItem(SELECTED_KEY);
    const params = new URLSearchParams(location.search);
    if (this.selected) params.set('server', this.selected);
    else params.delete('server');
    const search = params.size ? `?${params}` : '';
    if (search !== location.search) history.replaceState(null, '', `${location.pathname}${search}`);
  }

  /** Selects a server from the sidebar and takes the person to it. */
  private show(serverUrl: string): void {
    this.select(serverUrl);
    void this.updateComplete.then(() => {
      const card = this.selectedCard();
      card?.scrollIntoView({ block: 'start' });
      card?.focusTitle();
    });
  }

  /** "Reload to update": at once when nothing runs, else after the person confirms. */
  private reloadToUpdate(force: boolean): void {
    const blockers = this.cards()
      .map((c) => c.interruptible)
      .filter((b): b is string => !!b);
    if (blockers.length && !force) {
      this.updateBlockers = blockers;
      return;
    }
    void this.bridge.applyUpdate();
  }

  private async start(): Promise<void> {
    const params = new URLSearchParams(location.search);
    const error = params.get('keyhole_error');
    if (error) this.banner = error;
    const connectTo = params.get('connect');
    if (error || connectTo) {
      // Keep ?protocol= and ?server=, drop the one-shot parameters.
      params.delete('keyhole_error');
      params.delete('connect');
      history.replaceState(null, '', `${location.pathname}${params.size ? `?${params}` : ''}`);
    }
    try {
      this.bridge.onViews((views) => {
        this.views = new Map(views.map((v) => [v.serverUrl, v]));
      });
      await this.bridge.start();
      // Ask the browser not to evict the worker's IndexedDB under storage pressure (only the page
      // can ask: StorageManager.persist is not exposed to workers). A refusal changes nothing.
      void navigator.storage?.persist?.().catch(() => false);
      await this.bridge.send({ type: 'status' });
      this.ready = true;
    } catch (err) {
      this.fatal = (err as Error).message;
      return;
    }
    void fetch('./demo.json', { cache: 'no-store' })
      .then((r) => (r.ok ? (r.json() as Promise<{ mcpUrl?: unknown }>) : undefined))
      .then((d) => {
        if (typeof d?.mcpUrl === 'string') this.demoUrl = d.mcpUrl;
      })
      .catch(() => {});
    if (connectTo) await this.addServer({ serverUrl: connectTo, keepSignedIn: false });
  }

  /** Adds (or replaces) a server, selects it and connects; false when the URL is refused. */
  private async addServer(server: SavedServer, clientSecret?: string): Promise<boolean> {
    this.formError = undefined;
    this.formSuggestion = undefined;
    try {
      checkEndpointUrl(server.serverUrl, 'The MCP server URL');
    } catch (err) {
      this.formError = `That is not a server URL Keyhole can use: ${(err as Error).message}`;
      this.formSuggestion = suggestEndpointUrl(server.serverUrl);
      return false;
    }
    const others = this.servers.filter((s) => s.serverUrl !== server.serverUrl);
    this.servers = [...others, server];
    saveServers(this.servers);
    this.show(server.serverUrl);
    await this.updateComplete;
    await this.selectedCard()?.connect(clientSecret ? { clientSecret } : {});
    return true;
  }

  private async onSubmit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? '').trim();
    const secret = value('clientSecret');
    // The secret goes to the worker with the connect; it does not stay in the form.
    (form.elements.namedItem('clientSecret') as HTMLInputElement).value = '';
    const added = await this.addServer(
      {
        serverUrl: value('url'),
        keepSignedIn: data.get('keep') === 'on',
        ...(value('clientId') ? { clientId: value('clientId') } : {}),
        ...(value('scopes') ? { scopes: value('scopes') } : {}),
      },
      secret || undefined,
    );
    if (added) form.reset();
  }

  /** Puts the suggested address in the field and connects to it, with the settings as they are. */
  private useSuggestion(e: Event, url: string): void {
    const form = (e.target as HTMLElement).closest('form')!;
    (form.elements.namedItem('url') as HTMLInputElement).value = url;
    form.requestSubmit();
  }

  /** A card changed its own settings (roots, the settings form): remembered like the rest of the list. */
  private onUpdateServer(e: CustomEvent<SavedServer>): void {
    this.servers = this.servers.map((s) => (s.serverUrl === e.detail.serverUrl ? e.detail : s));
    saveServers(this.servers);
  }

  private onCardState(e: CustomEvent<CardReport & { serverUrl: string }>): void {
    const { serverUrl, ...report } = e.detail;
    this.reports = new Map(this.reports).set(serverUrl, report);
  }

  /** Saves the server list as a file: URLs and client settings, never a secret (there is none here). */
  private exportList(): void {
    const url = URL.createObjectURL(new Blob([exportServers(this.servers)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'keyhole-servers.json';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    this.listNotice = { text: `Exported ${this.servers.length} server${this.servers.length === 1 ? '' : 's'} to keyhole-servers.json.`, error: false };
  }

  /**
   * Adds the servers of a file: Keyhole's own export, an MCP registry `server.json`, or the
   * `mcpServers` JSON desktop clients use. Each URL meets the same rule as one typed in; the ones
   * that do not, and entries a browser cannot use (stdio programs), are named and left out.
   * Nothing connects by itself: the person presses Connect.
   */
  private async importList(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    try {
      if (file.size > 1_000_000) throw new Error('The file is larger than 1 MB; a server list is far smaller.');
      const { servers: imported, skipped, notes } = parseAnyServerList(await file.text());
      const refused = skipped.map((s) => `${s.name} (${s.reason})`);
      const accepted = imported.filter((s) => {
        try {
          checkEndpointUrl(s.serverUrl, 'The MCP server URL');
          return true;
        } catch (err) {
          refused.push(`${s.serverUrl} (${(err as Error).message})`);
          return false;
        }
      });
      const byUrl = new Map(this.servers.map((s) => [s.serverUrl, s]));
      for (const s of accepted) byUrl.set(s.serverUrl, s);
      this.servers = [...byUrl.values()];
      saveServers(this.servers);
      if (!this.selected && accepted[0]) this.select(accepted[0].serverUrl);
      this.listNotice = {
        text:
          `Imported ${accepted.length} server${accepted.length === 1 ? '' : 's'}${accepted.length ? '; press Connect on each to use it' : ''}.` +
          (refused.length ? ` Left out: ${refused.join('; ')}.` : '') +
          (notes.length ? ` Note: ${notes.map((n) => `${n.name} (${n.reason})`).join('; ')}.` : ''),
        error: refused.length > 0,
      };
    } catch (err) {
      this.listNotice = { text: `Could not import ${file.name}: ${(err as Error).message}`, error: true };
    }
  }

  /** Remove takes the server off the list at once; its tokens are revoked when Undo is no longer offered. */
  private onRemove(e: CustomEvent<string>): void {
    if (this.removed) this.finishRemoval();
    const index = this.servers.findIndex((s) => s.serverUrl === e.detail);
    const server = this.servers[index];
    if (!server) return;
    this.servers = this.servers.filter((s) => s.serverUrl !== server.serverUrl);
    saveServers(this.servers);
    if (this.selected === server.serverUrl) this.select(this.servers[Math.min(index, this.servers.length - 1)]?.serverUrl);
    this.removed = { server, index, timer: setTimeout(() => this.finishRemoval(), UNDO_MS) };
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[data-undo] button')?.focus());
  }

  private undoRemove(): void {
    const r = this.removed;
    if (!r) return;
    clearTimeout(r.timer);
    this.removed = undefined;
    const servers = [...this.servers];
    servers.splice(Math.min(r.index, servers.length), 0, r.server);
    this.servers = servers;
    saveServers(this.servers);
    this.show(r.server.serverUrl);
  }

  private finishRemoval(): void {
    const r = this.removed;
    if (!r) return;
    clearTimeout(r.timer);
    this.removed = undefined;
    forgetHistory(r.server.serverUrl);
    forgetDrafts(r.server.serverUrl);
    if (this.views.has(r.server.serverUrl)) void this.bridge.send({ type: 'disconnect', serverUrl: r.server.serverUrl }).catch(() => {});
  }

  override render() {
    const selected = this.servers.some((s) => s.serverUrl === this.selected) ? this.selected : this.servers[0]?.serverUrl;
    return html`
      <div class="shell">
        ${this.renderSidebar(selected)}
        <main aria-label="Selected server">
          ${this.fatal ? html`<p role="alert" class="error">${this.fatal}</p>` : nothing}
          ${this.offline
            ? html`<p role="status" class="banner offline" data-offline>
                You are offline. Keyhole opened from its cache; servers cannot be reached until the network is back, and
                Keyhole reconnects them then.
              </p>`
            : nothing}
          ${this.updateReady ? this.renderUpdate() : nothing}
          ${this.banner
            ? html`<p role="alert" class="error banner">
                ${this.banner} <button @click=${() => (this.banner = undefined)}>Dismiss</button>
              </p>`
            : nothing}
          ${this.removed
            ? html`<p role="status" class="banner undo" data-undo>
                Removed ${serverTitle(this.removed.server)}. <button @click=${() => this.undoRemove()}>Undo</button>
              </p>`
            : nothing}
          <section
            class="servers"
            aria-label="Server"
            @remove-server=${(e: CustomEvent<string>) => this.onRemove(e)}
            @update-server=${(e: CustomEvent<SavedServer>) => this.onUpdateServer(e)}
            @card-state=${(e: CustomEvent<CardReport & { serverUrl: string }>) => this.onCardState(e)}
          >
            ${this.ready
              ? this.servers.map(
                  // Every card stays in the page (its session, calls and streams go on); only the selected one shows.
                  (s) =>
                    html`<server-card
                      data-key=${s.serverUrl}
                      ?hidden=${s.serverUrl !== selected}
                      .server=${s}
                      .view=${this.views.get(s.serverUrl)}
                      .bridge=${this.bridge}
                      .protocol=${this.protocol}
                    ></server-card>`,
                )
              : html`<p role="status">Starting the service worker…</p>`}
            ${this.ready && !this.servers.length ? this.renderEmpty() : nothing}
          </section>
        </main>
      </div>
    `;
  }

  private renderEmpty() {
    return html`<div class="empty">
      <h2>Connect to an MCP server</h2>
      <p>
        Paste the address of a remote MCP server in <strong>MCP server URL</strong> and press Connect. Keyhole finds its
        authorization server; Authorize then takes you to that server’s sign-in page in this tab, and brings you back here
        with the server’s tools, resources and prompts.
      </p>
      ${this.demoUrl
        ? html`<p>
            Or try the bundled demo (no account needed):
            <button class="link" @click=${() => void this.addServer({ serverUrl: this.demoUrl!, keepSignedIn: false })}>${this.demoUrl}</button>
          </p>`
        : nothing}
    </div>`;
  }

  private renderSidebar(selected: string | undefined) {
    const addOpen = this.addOpen || !this.servers.length;
    return html`<aside class="sidebar">
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
      <details class="add" ?open=${addOpen} @toggle=${(e: Event) => (this.addOpen = (e.target as HTMLDetailsElement).open)}>
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
                <button type="button" class="link" @click=${() => void this.addServer({ serverUrl: this.demoUrl!, keepSignedIn: false })}>
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
          ${this.servers.map((s) => this.renderServerEntry(s, s.serverUrl === selected))}
        </ul>
        <div class="list-actions">
          <button class="small" @click=${() => this.exportList()} ?disabled=${!this.servers.length}>Export list</button>
          <label class="small file">
            Import list
            <input type="file" accept="application/json,.json" @change=${(e: Event) => void this.importList(e.target as HTMLInputElement)} />
          </label>
        </div>
        ${this.listNotice
          ? html`<p role=${this.listNotice.error ? 'alert' : 'status'} class=${this.listNotice.error ? 'error' : 'hint'} data-list-notice>${this.listNotice.text}</p>`
          : nothing}
      </nav>
    </aside>`;
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
      <button class="entry" aria-current=${current ? 'true' : 'false'} @click=${() => this.show(s.serverUrl)}>
        <span class="name">
          ${report?.icon ? html`<img src=${report.icon} alt="" width="16" height="16" />` : nothing}
          <span>${serverTitle(s)}</span>
        </span>
        <span class="state ${state}" data-overview-state=${state}>${STATE_LABEL[state]}</span>
        ${facts.length ? html`<span class="facts">${facts.join(' · ')}</span>` : nothing}
      </button>
    </li>`;
  }

  private renderUpdate() {
    if (this.updateBlockers) {
      return html`<div role="alert" class="banner update" data-update>
        <p>Reloading now interrupts ${this.updateBlockers.join('; ')}. Authorizations in progress are kept.</p>
        <button class="primary" @click=${() => this.reloadToUpdate(true)}>Reload anyway</button>
        <button @click=${() => (this.updateBlockers = undefined)}>Later</button>
      </div>`;
    }
    return html`<div role="status" class="banner update" data-update>
      <p>A new version of Keyhole is ready. Bearer tokens kept only in memory will need authorizing again after it.</p>
      <button class="primary" @click=${() => this.reloadToUpdate(false)}>Reload to update</button>
    </div>`;
  }

  static override styles = css`
    :host { display: block; overflow-wrap: anywhere; }
    /* Narrow screens: the sidebar is a bar above the server (add form folded once a server exists). */
    .shell { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0.75rem; padding: 0.75rem; }
    .sidebar { display: grid; gap: 0.75rem; align-content: start; min-width: 0; }
    main { min-width: 0; display: grid; gap: 0.75rem; align-content: start; }
    /* Wide screens: the sidebar on the left, the selected server using the rest of the width. */
    @media (min-width: 60rem) {
      .shell { grid-template-columns: 19rem minmax(0, 1fr); gap: 1rem; padding: 1rem; }
      .sidebar { position: sticky; top: 1rem; max-height: calc(100vh - 2rem); overflow-y: auto; }
    }
    .brand { display: flex; gap: 0.5rem; align-items: start; justify-content: space-between; }
    h1 { margin: 0; font-size: 1.4rem; }
    .tagline { margin: 0.1rem 0 0; color: var(--muted); font-size: 0.8rem; }
    h2 { font-size: 0.95rem; margin: 0 0 0.4rem; }
    [popover] { border: 1px solid var(--line); border-radius: 10px; background: var(--card); color: var(--fg); padding: 1rem; max-width: min(28rem, 90vw); }
    [popover] dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 0.8rem; margin: 0; font-size: 0.9rem; }
    [popover] dd { margin: 0; }
    kbd { font: 0.8rem ui-monospace, monospace; border: 1px solid var(--line); border-radius: 4px; padding: 0 0.3rem; }
    details.add, nav, .empty, server-card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 0.75rem; }
    server-card { padding: 1rem; }
    server-card[hidden] { display: none; }
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
    .small { font-size: 0.85rem; padding: 0.3rem 0.7rem; }
    button.primary { background: var(--accent); color: var(--accent-fg); border-color: var(--accent); }
    button.primary[type='submit'] { justify-self: start; }
    button:disabled { opacity: 0.5; cursor: not-allowed; border-style: dashed; }
    button.link { border: none; padding: 0; color: var(--accent); text-decoration: underline; word-break: break-all; text-align: left; background: transparent; }
    .icon-button { padding: 0.1rem 0.55rem; border-radius: 999px; font-weight: 600; }
    button:focus-visible, input:focus-visible, summary:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
    .error { color: var(--err); margin: 0; }
    .banner { background: var(--card); border: 1px solid currentColor; border-radius: 8px; padding: 0.6rem; margin: 0; }
    .banner p { margin: 0 0 0.4rem; }
    .banner.offline, .banner.update, .banner.undo { border-color: var(--accent); }
    .servers { display: grid; gap: 1rem; grid-template-columns: minmax(0, 1fr); }
    .empty h2 { font-size: 1.1rem; }
    .empty p { margin: 0.4rem 0; }
  `;
}

customElements.define('keyhole-app', KeyholeApp);
