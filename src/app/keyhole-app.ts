/**
 * The page: a sidebar (add a server, the server list with each one's state) and the main area
 * showing the selected server's card. Connection state comes from the service worker; the
 * server list (never a secret) is remembered in localStorage.
 */
import { LitElement, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ConnectionView } from '../protocol.ts';
import type { ProtocolChoice } from './mcp-session.ts';
import type { ServerCard } from './server-card.ts';
import './server-card.ts';
import type { CardReport, KeyholeSidebar } from './sidebar-view.ts';
import './sidebar-view.ts';
import { dropPendingCall, exportServers, loadServers, parseAnyServerList, saveServers, type SavedServer } from './servers-store.ts';
import { forgetDiscovery } from './discovery-store.ts';
import { forgetDrafts } from './drafts-store.ts';
import { forgetServer as forgetHistory } from './history-store.ts';
import { serverTitle } from './states.ts';
import { SwBridge } from './sw-bridge.ts';
// The worker's pure URL rule, so the page refuses exactly what the worker would (MCP C1/C3).
import { checkEndpointUrl, suggestEndpointUrl } from '../sw/rules/urls.ts';

const PROTOCOL_KEY = 'keyhole:protocol';
/** The selected server, kept for the tab across the authorization redirect (which drops `?server=`). */
const SELECTED_KEY = 'keyhole:server';
/** How long a removed server can be brought back before its tokens are revoked. */
const UNDO_MS = 8000;

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
      void this.sidebar()?.focusUrlField();
    } else if (e.key === '?') {
      e.preventDefault();
      this.sidebar()?.toggleShortcuts();
    } else if (e.key === '[' || e.key === ']') {
      const i = this.servers.findIndex((s) => s.serverUrl === this.selected);
      const next = this.servers[(i + (e.key === ']' ? 1 : -1) + this.servers.length) % this.servers.length];
      if (next) this.show(next.serverUrl);
    }
  };

  private sidebar(): KeyholeSidebar | null {
    return this.renderRoot.querySelector<KeyholeSidebar>('keyhole-sidebar');
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
    // In the address only when there is a choice to keep: with one server, it is the one shown.
    const params = new URLSearchParams(location.search);
    if (this.selected && this.servers.length > 1) params.set('server', this.selected);
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
    this.keepRemoved(server.serverUrl);
    const others = this.servers.filter((s) => s.serverUrl !== server.serverUrl);
    this.servers = [...others, server];
    saveServers(this.servers);
    this.show(server.serverUrl);
    await this.updateComplete;
    await this.selectedCard()?.connect(clientSecret ? { clientSecret } : {});
    return true;
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
  private async importList(file: File): Promise<void> {
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
      for (const s of accepted) {
        this.keepRemoved(s.serverUrl);
        byUrl.set(s.serverUrl, s);
      }
      this.servers = [...byUrl.values()];
      saveServers(this.servers);
      this.select(this.selected ?? accepted[0]?.serverUrl);
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
    this.select(this.selected === server.serverUrl ? this.servers[Math.min(index, this.servers.length - 1)]?.serverUrl : this.selected);
    this.removed = { server, index, timer: setTimeout(() => this.finishRemoval(), UNDO_MS) };
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[data-undo] button')?.focus());
  }

  /**
   * The server just removed is added again (typed, or imported) before Undo ran out: the removal
   * is called off, so the timer does not revoke the new connection's tokens.
   */
  private keepRemoved(serverUrl: string): void {
    if (this.removed?.server.serverUrl !== serverUrl) return;
    clearTimeout(this.removed.timer);
    this.removed = undefined;
  }

  private undoRemove(): void {
    const r = this.removed;
    if (!r) return;
    clearTimeout(r.timer);
    this.removed = undefined;
    if (this.servers.some((s) => s.serverUrl === r.server.serverUrl)) return this.show(r.server.serverUrl);
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
    // Undo had the focus: it stays in the page, on the server shown now or the add form.
    const undoFocused = this.renderRoot.querySelector('[data-undo]')?.contains(this.shadowRoot?.activeElement ?? null) ?? false;
    this.removed = undefined;
    if (undoFocused) void this.updateComplete.then(() => (this.selectedCard() ? this.selectedCard()!.focusTitle() : void this.sidebar()?.focusUrlField()));
    forgetHistory(r.server.serverUrl);
    forgetDrafts(r.server.serverUrl);
    forgetDiscovery(r.server.serverUrl);
    dropPendingCall(r.server.serverUrl);
    if (this.views.has(r.server.serverUrl)) void this.bridge.send({ type: 'disconnect', serverUrl: r.server.serverUrl }).catch(() => {});
  }

  override render() {
    const selected = this.servers.some((s) => s.serverUrl === this.selected) ? this.selected : this.servers[0]?.serverUrl;
    return html`
      <div class="shell">
        <keyhole-sidebar
          class="sidebar"
          .servers=${this.servers}
          .views=${this.views}
          .reports=${this.reports}
          .selected=${selected}
          .ready=${this.ready}
          .demoUrl=${this.demoUrl}
          .formError=${this.formError}
          .formSuggestion=${this.formSuggestion}
          .listNotice=${this.listNotice}
          .add=${(server: SavedServer, secret?: string) => this.addServer(server, secret)}
          @select-server=${(e: CustomEvent<string>) => this.show(e.detail)}
          @export-list=${() => this.exportList()}
          @import-list=${(e: CustomEvent<File>) => void this.importList(e.detail)}
        ></keyhole-sidebar>
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
              ? repeat(
                  this.servers,
                  // Keyed by URL: a card is its server's for life (its session, calls and streams), whatever
                  // is removed or added around it. Every card stays in the page; only the selected one shows.
                  (s) => s.serverUrl,
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
    .sidebar { min-width: 0; }
    main { min-width: 0; display: grid; gap: 0.75rem; align-content: start; }
    /* Wide screens: the sidebar on the left, the selected server using the rest of the width. */
    @media (min-width: 60rem) {
      .shell { grid-template-columns: 19rem minmax(0, 1fr); gap: 1rem; padding: 1rem; }
      .sidebar { position: sticky; top: 1rem; max-height: calc(100vh - 2rem); overflow-y: auto; }
    }
    h2 { font-size: 0.95rem; margin: 0 0 0.4rem; }
    .empty, server-card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 0.75rem; }
    server-card { padding: 1rem; }
    server-card[hidden] { display: none; }
    button { font: inherit; font-size: 0.9rem; line-height: 1.3; padding: 0.4rem 0.9rem; border-radius: 6px; border: 1px solid var(--line); background: var(--card); color: var(--fg); cursor: pointer; }
    button.primary { background: var(--accent); color: var(--accent-fg); border-color: var(--accent); }
    button:disabled { opacity: 0.5; cursor: not-allowed; border-style: dashed; }
    button.link { border: none; padding: 0; color: var(--accent); text-decoration: underline; word-break: break-all; text-align: left; background: transparent; }
    button:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
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
