/**
 * A server's settings, edited after it was added: display name, pre-registered client (ID and
 * secret), scopes, protocol revision, and whether Bearer tokens are kept on this device. A change
 * of client or scopes needs a new authorization, and the form says so before it is saved.
 * The secret goes to the worker with the save and is never shown or kept here.
 */
import { LitElement, css, html, nothing } from 'lit';
import type { SavedServer } from '../servers-store.ts';
import { panelStyles } from './panel-styles.ts';

export interface SettingsChange {
  server: SavedServer;
  /** A new client secret typed by the person (to the worker only). */
  clientSecret?: string;
  /** What the change asks of the authorization (see authorizationChange). */
  reauthorize: 'client' | 'scopes' | undefined;
}

const scopeSet = (s: SavedServer) => (s.scopes ?? '').trim().split(/\s+/).filter(Boolean).sort().join(' ');

/**
 * What a change asks of the authorization: another client cannot use this one's tokens (they
 * are revoked with the old client, and the person authorizes anew); other scopes need a new
 * authorization, and the tokens held serve until then.
 */
export function authorizationChange(before: SavedServer, after: SavedServer): 'client' | 'scopes' | undefined {
  if ((before.clientId ?? '') !== (after.clientId ?? '')) return 'client';
  if (scopeSet(before) !== scopeSet(after)) return 'scopes';
  return undefined;
}

export class ServerSettings extends LitElement {
  static override properties = {
    server: { attribute: false },
    authorized: { attribute: false },
    draft: { state: true },
  };

  declare server: SavedServer;
  /** The server holds an authorization now (a change of client or scopes ends it). */
  declare authorized: boolean;
  declare draft: SavedServer | undefined;

  constructor() {
    super();
    this.authorized = false;
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input')?.focus();
  }

  private read(form: HTMLFormElement): { server: SavedServer; secret: string } {
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? '').trim();
    const protocol = value('protocol');
    const { name: _n, clientId: _c, scopes: _s, protocol: _p, ...rest } = this.server;
    return {
      server: {
        ...rest,
        keepSignedIn: data.get('keep') === 'on',
        ...(value('name') ? { name: value('name').slice(0, 80) } : {}),
        ...(value('clientId') ? { clientId: value('clientId') } : {}),
        ...(value('scopes') ? { scopes: value('scopes') } : {}),
        ...(protocol === '2025-11-25' || protocol === '2026-07-28' ? { protocol } : {}),
      },
      secret: value('clientSecret'),
    };
  }

  private onInput(form: HTMLFormElement): void {
    this.draft = this.read(form).server;
  }

  private onSubmit(e: SubmitEvent): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const { server, secret } = this.read(form);
    const detail: SettingsChange = { server, ...(secret ? { clientSecret: secret } : {}), reauthorize: authorizationChange(this.server, server) };
    (form.elements.namedItem('clientSecret') as HTMLInputElement).value = '';
    this.dispatchEvent(new CustomEvent<SettingsChange>('settings-save', { detail, bubbles: true, composed: true }));
  }

  override render() {
    const s = this.server;
    const change = this.authorized && this.draft ? authorizationChange(s, this.draft) : undefined;
    return html`<form
      aria-label="Settings of ${s.serverUrl}"
      @submit=${(e: SubmitEvent) => this.onSubmit(e)}
      @input=${(e: Event) => this.onInput((e.currentTarget as HTMLFormElement))}
      @change=${(e: Event) => this.onInput((e.currentTarget as HTMLFormElement))}
    >
      <h3>Settings</h3>
      <label for="name">Display name</label>
      <input id="name" name="name" maxlength="80" autocomplete="off" .value=${s.name ?? ''} placeholder=${new URL(s.serverUrl).host} />
      <label for="clientId">Client ID (a client you registered yourself; empty: Keyhole registers itself)</label>
      <input id="clientId" name="clientId" autocomplete="off" .value=${s.clientId ?? ''} />
      <label for="clientSecret">Client secret (empty: keep the one given before, if any)</label>
      <input id="clientSecret" name="clientSecret" type="password" autocomplete="off" />
      <label for="scopes">Scopes (space separated; empty: what the server asks for)</label>
      <input id="scopes" name="scopes" autocomplete="off" .value=${s.scopes ?? ''} />
      <label for="protocol">Protocol revision</label>
      <select id="protocol" name="protocol">
        <option value="" ?selected=${!s.protocol}>Negotiate (newest first)</option>
        <option value="2026-07-28" ?selected=${s.protocol === '2026-07-28'}>2026-07-28 only</option>
        <option value="2025-11-25" ?selected=${s.protocol === '2025-11-25'}>2025-11-25 and older</option>
      </select>
      <span class="keep">
        <input id="keep" name="keep" type="checkbox" ?checked=${s.keepSignedIn} />
        <label for="keep">Keep me signed in on this device (Bearer tokens; DPoP-bound tokens are always kept)</label>
      </span>
      ${change
        ? html`<p class="warn" role="status" data-reauthorize>
            ${change === 'client'
              ? 'Another client needs a new authorization: saving revokes this one with the old client, and you press Authorize again.'
              : 'Other scopes need a new authorization: after saving, press Authorize; the current one serves until then.'}
          </p>`
        : nothing}
      <div class="buttons">
        <button type="submit" class="primary">Save settings</button>
        <button type="button" @click=${() => this.dispatchEvent(new CustomEvent('settings-cancel', { bubbles: true, composed: true }))}>Cancel</button>
      </div>
    </form>`;
  }

  static override styles = [
    panelStyles,
    css`
      form { display: grid; gap: 0.3rem; max-width: 36rem; padding: 0.75rem; border: 1px solid var(--line); border-radius: 8px; background: var(--bg); }
      h3 { margin: 0 0 0.3rem; }
      input:not([type='checkbox']), select { width: 100%; }
      .keep { display: flex; gap: 0.5rem; align-items: center; margin-top: 0.3rem; }
      .warn { color: var(--warn); margin: 0.3rem 0 0; }
      .buttons { display: flex; gap: 0.5rem; margin-top: 0.5rem; }
    `,
  ];
}

customElements.define('server-settings', ServerSettings);
