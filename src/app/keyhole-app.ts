/**
 * The page: add a server, see each server's card. Connection state comes from the service
 * worker; the server list (never a secret) is remembered in localStorage.
 */
import { LitElement, css, html, nothing } from 'lit';
import type { ConnectionView } from '../protocol.ts';
import type { ProtocolChoice } from './mcp-session.ts';
import type { ServerCard } from './server-card.ts';
import './server-card.ts';
import { exportServers, loadServers, parseServerList, saveServers, type SavedServer } from './servers-store.ts';
import { SwBridge } from './sw-bridge.ts';
// The worker's pure URL rule, so the page refuses exactly what the worker would (MCP C1/C3).
import { checkEndpointUrl } from '../sw/rules/urls.ts';

const PROTOCOL_KEY = 'keyhole:protocol';

const KEEP_SIGNED_IN_RISK =
  'For servers without DPoP: any script running on this site could read a Bearer refresh token kept on this device, so tick this only on a browser you trust. DPoP-bound tokens are always kept, bound to this browser.';

export class KeyholeApp extends LitElement {
  static override properties = {
    servers: { state: true },
    views: { state: true },
    fatal: { state: true },
    banner: { state: true },
    formError: { state: true },
    demoUrl: { state: true },
    ready: { state: true },
    updateReady: { state: true },
    updateBlockers: { state: true },
    offline: { state: true },
    listNotice: { state: true },
    revisions: { state: true },
  };

  declare servers: SavedServer[];
  declare views: Map<string, ConnectionView>;
  declare fatal: string | undefined;
  declare banner: string | undefined;
  declare formError: string | undefined;
  declare demoUrl: string | undefined;
  declare ready: boolean;
  /** A new version of Keyhole is installed and waits for the person to reload. */
  declare updateReady: boolean;
  /** What reloading now would interrupt, once the person asked to update. */
  declare updateBlockers: string[] | undefined;
  declare offline: boolean;
  /** The outcome of an import or export, in words. */
  declare listNotice: { text: string; error: boolean } | undefined;
  /** Server URL → protocol revision its card negotiated (for the sidebar). */
  declare revisions: Map<string, string>;
  private readonly bridge = new SwBridge();
  private readonly protocol: ProtocolChoice;

  constructor() {
    super();
    this.servers = loadServers();
    this.views = new Map();
    this.ready = false;
    this.updateReady = false;
    this.offline = !navigator.onLine;
    this.revisions = new Map();
    // `?protocol=` pins a revision for this tab; remembered for the tab, so that coming back from
    // the authorization server (to the bare app URL) keeps it. `?protocol=auto` unpins.
    const asked = new URLSearchParams(location.search).get('protocol');
    if (asked) sessionStorage.setItem(PROTOCOL_KEY, asked);
    const p = asked ?? sessionStorage.getItem(PROTOCOL_KEY);
    this.protocol = p === '2025-11-25' || p === '2026-07-28' ? p : 'auto';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('offline', this.onNetworkChange);
    window.addEventListener('online', this.onNetworkChange);
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
  }

  private readonly onNetworkChange = (): void => {
    this.offline = !navigator.onLine;
    if (this.offline) return;
    for (const card of this.cards()) card.retryIfUnreachable();
  };

  private cards(): ServerCard[] {
    return [...this.renderRoot.querySelectorAll<ServerCard>('server-card')];
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
      // Keep ?protocol=, drop the one-shot parameters.
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

  private async addServer(server: SavedServer, clientSecret?: string): Promise<void> {
    this.formError = undefined;
    try {
      checkEndpointUrl(server.serverUrl, 'The MCP server URL');
    } catch (err) {
      this.formError = `That is not a server URL Keyhole can use: ${(err as Error).message}`;
      return;
    }
    const others = this.servers.filter((s) => s.serverUrl !== server.serverUrl);
    this.servers = [...others, server];
    saveServers(this.servers);
    await this.updateComplete;
    const card = this.renderRoot.querySelector<ServerCard>(`server-card[data-key="${CSS.escape(server.serverUrl)}"]`);
    await card?.connect(clientSecret ? { clientSecret } : {});
  }

  private async onSubmit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? '').trim();
    const secret = value('clientSecret');
    await this.addServer(
      {
        serverUrl: value('url'),
        keepSignedIn: data.get('keep') === 'on',
        ...(value('clientId') ? { clientId: value('clientId') } : {}),
        ...(value('scopes') ? { scopes: value('scopes') } : {}),
      },
      secret || undefined,
    );
    // The secret has gone to the worker; do not leave it in the form.
    (form.elements.namedItem('clientSecret') as HTMLInputElement).value = '';
  }

  /** A card changed its own settings (its roots): remembered like the rest of the list. */
  private onUpdateServer(e: CustomEvent<SavedServer>): void {
    this.servers = this.servers.map((s) => (s.serverUrl === e.detail.serverUrl ? e.detail : s));
    saveServers(this.servers);
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
   * Adds the servers of an exported list. Each URL meets the same rule as one typed in; the ones
   * that do not are named and left out. Nothing connects by itself: the person presses Connect.
   */
  private async importList(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    try {
      if (file.size > 1_000_000) throw new Error('The file is larger than 1 MB; a server list is far smaller.');
      const imported = parseServerList(await file.text());
      const refused: string[] = [];
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
      this.listNotice = {
        text: `Imported ${accepted.length} server${accepted.length === 1 ? '' : 's'}; press Connect on each to use it.` + (refused.length ? ` Left out: ${refused.join('; ')}.` : ''),
        error: refused.length > 0,
      };
    } catch (err) {
      this.listNotice = { text: `Could not import ${file.name}: ${(err as Error).message}`, error: true };
    }
  }

  private async onRemove(e: CustomEvent<string>): Promise<void> {
    const serverUrl = e.detail;
    if (this.views.has(serverUrl)) await this.bridge.send({ type: 'disconnect', serverUrl }).catch(() => {});
    this.servers = this.servers.filter((s) => s.serverUrl !== serverUrl);
    saveServers(this.servers);
  }

  override render() {
    return html`
      <header class="top">
        <h1>Keyhole</h1>
        <p class="tagline">An MCP client whose service worker holds the tokens. This page never sees one.</p>
      </header>
      <div class="layout">
      ${this.renderSidebar()}
      <main>
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
        <form class="add" @submit=${(e: SubmitEvent) => void this.onSubmit(e)} aria-label="Add an MCP server">
          <label for="url">MCP server URL</label>
          <div class="row">
            <input id="url" name="url" type="url" required placeholder="https://example.com/mcp" autocomplete="url" />
            <button type="submit" class="primary" ?disabled=${!this.ready}>Connect</button>
          </div>
          ${this.demoUrl
            ? html`<p class="hint">
                Try the bundled demo server:
                <button type="button" class="link" @click=${() => void this.addServer({ serverUrl: this.demoUrl!, keepSignedIn: false })}>
                  ${this.demoUrl}
                </button>
              </p>`
            : nothing}
          <details>
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
          ${this.formError ? html`<p role="alert" class="error">${this.formError}</p>` : nothing}
        </form>
        <section
          class="servers"
          aria-label="Servers"
          @remove-server=${(e: CustomEvent<string>) => void this.onRemove(e)}
          @update-server=${(e: CustomEvent<SavedServer>) => this.onUpdateServer(e)}
          @session-info=${(e: CustomEvent<{ serverUrl: string; protocolVersion?: string }>) => {
            const next = new Map(this.revisions);
            if (e.detail.protocolVersion) next.set(e.detail.serverUrl, e.detail.protocolVersion);
            else next.delete(e.detail.serverUrl);
            this.revisions = next;
          }}
        >
          ${this.ready
            ? this.servers.map(
                (s) =>
                  html`<server-card
                    data-key=${s.serverUrl}
                    .server=${s}
                    .view=${this.views.get(s.serverUrl)}
                    .bridge=${this.bridge}
                    .protocol=${this.protocol}
                  ></server-card>`,
              )
            : html`<p role="status">Starting the service worker…</p>`}
        </section>
      </main>
      </div>
    `;
  }

  /**
   * Every server at a glance: state, protocol revision, authorization server, token kind and
   * expiry, scopes (never a token: the worker's view has none), and the list's import/export.
   */
  private renderSidebar() {
    return html`<nav class="sidebar" aria-label="Servers overview">
      <h2>Servers (${this.servers.length})</h2>
      <ul>
        ${this.servers.map((s) => {
          const v = this.views.get(s.serverUrl);
          const revision = this.revisions.get(s.serverUrl);
          return html`<li data-overview=${s.serverUrl}>
            <button class="link" @click=${() => this.showCard(s.serverUrl)}>${s.serverUrl}</button>
            <span class="state ${v?.state ?? 'disconnected'}">${v?.state?.replace('-', ' ') ?? 'not connected'}</span>
            <dl>
              ${revision ? html`<dt>Protocol</dt><dd>${revision}</dd>` : nothing}
              ${v?.issuer ? html`<dt>Authorization server</dt><dd>${v.issuer}</dd>` : nothing}
              ${v?.tokenKind
                ? html`<dt>Token</dt><dd>${v.tokenKind === 'dpop' ? 'DPoP' : 'Bearer'}${v.expiresAt ? `, expires ${new Date(v.expiresAt).toLocaleTimeString()}` : ''}</dd>`
                : nothing}
              ${v?.scopesGranted?.length ? html`<dt>Scopes</dt><dd>${v.scopesGranted.join(' ')}</dd>` : nothing}
            </dl>
          </li>`;
        })}
      </ul>
      <div class="list-actions">
        <button @click=${() => this.exportList()} ?disabled=${!this.servers.length}>Export list</button>
        <label class="file">
          Import list
          <input type="file" accept="application/json,.json" @change=${(e: Event) => void this.importList(e.target as HTMLInputElement)} />
        </label>
      </div>
      ${this.listNotice
        ? html`<p role=${this.listNotice.error ? 'alert' : 'status'} class=${this.listNotice.error ? 'error' : 'hint'} data-list-notice>${this.listNotice.text}</p>`
        : nothing}
    </nav>`;
  }

  private showCard(serverUrl: string): void {
    const card = this.renderRoot.querySelector<ServerCard>(`server-card[data-key="${CSS.escape(serverUrl)}"]`);
    card?.scrollIntoView({ block: 'start' });
    card?.focusTitle();
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
    :host { display: block; overflow-wrap: anywhere; max-width: 84rem; margin: 0 auto; padding: 1rem; }
    .layout { display: grid; gap: 1rem; grid-template-columns: minmax(0, 1fr); }
    @media (min-width: 64rem) { .layout { grid-template-columns: 18rem minmax(0, 1fr); align-items: start; } .sidebar { position: sticky; top: 1rem; order: 0; } }
    main { min-width: 0; }
    .sidebar { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 0.75rem; font-size: 0.85rem; order: 1; }
    .sidebar h2 { font-size: 1rem; margin: 0 0 0.5rem; }
    .sidebar ul { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.6rem; }
    .sidebar li { border-top: 1px solid var(--line); padding-top: 0.4rem; }
    .sidebar dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 0.5rem; margin: 0.2rem 0 0; }
    .sidebar dt { color: var(--muted); }
    .sidebar dd { margin: 0; word-break: break-word; }
    .sidebar .state { display: block; color: var(--muted); }
    .sidebar .state.connected { color: var(--ok); }
    .sidebar .state.error { color: var(--err); }
    .sidebar .state.needs-authorization { color: var(--warn); }
    .list-actions { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-top: 0.75rem; align-items: center; }
    label.file { position: relative; display: inline-block; padding: 0.4rem 0.9rem; border: 1px solid var(--line); border-radius: 6px; cursor: pointer; font-size: 1rem; }
    label.file input { position: absolute; inset: 0; opacity: 0; cursor: pointer; width: 100%; }
    label.file:focus-within { outline: 3px solid var(--accent); outline-offset: 2px; }
    h1 { margin: 0; font-size: 1.5rem; }
    .tagline { margin: 0.2rem 0 1rem; color: var(--muted); }
    form.add { display: grid; gap: 0.4rem; background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 1rem; margin-bottom: 1rem; }
    .row { display: flex; gap: 0.5rem; flex-wrap: wrap; }
    .row input { flex: 1 1 16rem; }
    input { font: inherit; padding: 0.4rem; border-radius: 6px; border: 1px solid var(--line); background: var(--bg); color: var(--fg); min-width: 0; }
    label { font-size: 0.9rem; }
    details { display: grid; gap: 0.3rem; }
    details[open] { padding: 0.5rem 0; }
    details input { display: block; width: 100%; box-sizing: border-box; margin-bottom: 0.4rem; }
    .keep { display: grid; grid-template-columns: auto 1fr; gap: 0 0.5rem; align-items: center; }
    .keep .hint { grid-column: 2; margin: 0; }
    .hint { color: var(--muted); font-size: 0.85rem; margin: 0.2rem 0; }
    button { font: inherit; padding: 0.4rem 0.9rem; border-radius: 6px; border: 1px solid var(--line); background: transparent; color: var(--fg); cursor: pointer; }
    button.primary { background: var(--accent); color: var(--accent-fg); border-color: var(--accent); }
    button.link { border: none; padding: 0; color: var(--accent); text-decoration: underline; word-break: break-all; text-align: left; }
    button:focus-visible, input:focus-visible, summary:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
    .error { color: var(--err); }
    .banner { background: var(--card); border: 1px solid currentColor; border-radius: 8px; padding: 0.6rem; }
    .banner p { margin: 0 0 0.4rem; }
    .banner.offline, .banner.update { border-color: var(--accent); }
    .servers { display: grid; gap: 1rem; grid-template-columns: minmax(0, 1fr); }
  `;
}

customElements.define('keyhole-app', KeyholeApp);
