/**
 * A server card's dealings with the worker over its authorization: connect (the settings handed
 * over, the session opened), Authorize (leaving for the authorization server), Disconnect
 * (tokens revoked and forgotten), and saved settings, which may ask for a new authorization
 * (server-settings.ts, authorizationChange). The card (server-card.ts) keeps the state the
 * person sees and draws it; this controller changes it through `AuthorizationHost`.
 */
import type { ConnectionView } from '../protocol.ts';
import { checkEndpointUrl } from '../sw/rules/urls.ts';
import type { CardSession } from './card-session.ts';
import { forgetDiscovery } from './discovery-store.ts';
import type { SettingsChange } from './panels/server-settings.ts';
import type { SavedServer } from './servers-store.ts';
import type { SwBridge } from './sw-bridge.ts';

/** What of the card the authorization actions read and change. */
export interface AuthorizationHost {
  readonly server: SavedServer;
  readonly view: ConnectionView | undefined;
  readonly bridge: SwBridge;
  localError: string | undefined;
  notice: string | undefined;
  editing: boolean;
  readonly updateComplete: Promise<boolean>;
  requestUpdate(): void;
  dispatchEvent(event: Event): boolean;
  focusTitle(): void;
  focusSettingsButton(): void;
  /** The session ends with the connection: its calls and the server's questions go too. */
  forgetSession(): void;
}

export class CardAuthorization {
  /** Other scopes were saved: Authorize is offered while the tokens held still serve. */
  private reauthorizingNow = false;
  /**
   * The page is going away to the authorization server: the worker's "connecting" broadcast
   * after the callback is for the page that comes back, not for this one.
   */
  private leavingNow = false;

  constructor(
    private readonly host: AuthorizationHost,
    private readonly live: CardSession,
  ) {}

  get reauthorizing(): boolean {
    return this.reauthorizingNow;
  }

  private set reauthorizing(value: boolean) {
    this.reauthorizingNow = value;
    this.host.requestUpdate();
  }

  get leaving(): boolean {
    return this.leavingNow;
  }

  /** Back from the authorization server without finishing (back/forward cache): the person may try again. */
  returned(): void {
    this.leavingNow = false;
    this.host.requestUpdate();
  }

  /** Connect or retry: hands settings to the worker and opens the MCP session. */
  async connect(settings: { clientSecret?: string } = {}): Promise<void> {
    this.host.localError = undefined;
    this.host.notice = undefined;
    if (await this.sendSettings(settings)) await this.live.open();
  }

  /** Hands the server's settings (and a secret the person typed) to the worker; false when it failed. */
  private async sendSettings(settings: { clientSecret?: string }): Promise<boolean> {
    const { server } = this.host;
    try {
      await this.host.bridge.send({
        type: 'connect',
        serverUrl: server.serverUrl,
        settings: {
          keepSignedIn: server.keepSignedIn,
          ...(server.clientId ? { clientId: server.clientId } : {}),
          ...(settings.clientSecret ? { clientSecret: settings.clientSecret } : {}),
          ...(server.scopes ? { scopes: server.scopes } : {}),
        },
      });
      return true;
    } catch (err) {
      this.host.localError = (err as Error).message;
      return false;
    }
  }

  async authorize(): Promise<void> {
    const host = this.host;
    this.reauthorizing = false;
    host.notice = 'Preparing the authorization request…';
    const result = await host.bridge.send({ type: 'authorize', serverUrl: host.server.serverUrl }).catch((err: Error) => ({
      ok: false as const,
      error: err.message,
      views: [],
    }));
    if (!result.ok || !('authorizationUrl' in result) || !result.authorizationUrl) {
      host.notice = undefined;
      if (!result.ok && !host.view?.error) host.localError = result.error;
      return;
    }
    let url: URL;
    try {
      // MCP P10: only navigate to https, or http on loopback; the worker checked it too.
      url = checkEndpointUrl(result.authorizationUrl, 'The authorization URL');
    } catch (err) {
      host.notice = undefined;
      host.localError = (err as Error).message;
      return;
    }
    host.notice = `Leaving for ${url.origin} to authorize; you come back here afterwards…`;
    this.leavingNow = true;
    location.assign(url.href);
  }

  /**
   * Ends the session and has the worker revoke and forget the connection; its answer, as the
   * worker gave it. A disconnect also drops the session's calls and questions.
   */
  private async revokeAndForget(dropCalls: boolean) {
    await this.live.close();
    if (dropCalls) this.host.forgetSession();
    forgetDiscovery(this.host.server.serverUrl);
    return this.host.bridge.send({ type: 'disconnect', serverUrl: this.host.server.serverUrl });
  }

  async disconnect(): Promise<void> {
    const host = this.host;
    host.notice = 'Revoking tokens and forgetting this connection…';
    const result = await this.revokeAndForget(true);
    host.localError = undefined;
    this.reauthorizing = false;
    host.notice = result.ok ? 'Disconnected: tokens revoked and forgotten.' : result.error;
    // The Disconnect button is gone: focus stays on this server, not on the page's body.
    await host.updateComplete;
    host.focusTitle();
  }

  /**
   * Settings saved: remembered with the list, and handed to the worker. Another client: the
   * tokens are revoked with the old one and the person authorizes anew. Other scopes: the worker
   * asks for them at the next authorization, which the card offers at once (the tokens held serve
   * until then; the worker revokes them once the new ones are in place). A protocol pin opens
   * the session again.
   */
  async saveSettings(change: SettingsChange): Promise<void> {
    const host = this.host;
    const before = host.server;
    host.editing = false;
    host.dispatchEvent(new CustomEvent<SavedServer>('update-server', { detail: change.server, bubbles: true, composed: true }));
    await host.updateComplete;
    host.focusSettingsButton();
    const secret = change.clientSecret ? { clientSecret: change.clientSecret } : {};
    if (change.reauthorize === 'client' && host.view) {
      host.notice = 'Settings saved. Revoking the authorization of the old client…';
      const result = await this.revokeAndForget(false);
      await this.connect(secret);
      host.notice = `Settings saved${result.ok ? '' : ` (${result.error})`}: press Authorize to authorize the new client.`;
      return;
    }
    // The worker keeps what it needs (scopes, client, secret, storage policy); a secret typed for a
    // server not connected yet starts its connection, since the worker is where a secret lives.
    if (host.view || change.clientSecret) await this.sendSettings(secret);
    if (change.reauthorize === 'scopes' && host.view?.tokenKind) {
      this.reauthorizing = true;
      host.notice = 'Settings saved. Press Authorize to get the new scopes; the current authorization serves until then.';
    } else {
      host.notice = 'Settings saved.';
    }
    if ((before.protocol ?? '') !== (change.server.protocol ?? '') && this.live.state === 'open') {
      await this.live.close();
      await this.live.open();
    }
  }
}
