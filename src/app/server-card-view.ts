/**
 * The server card's header and what the person should know now (the reason for an
 * authorization, a notice, a warning, an error, the connection's facts): drawn from plain values,
 * so the card (server-card.ts) keeps the state and the actions. Part of the first load: a card
 * shows its state and offers Authorize before the workbench's module arrives.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ConnectionState, ConnectionView } from '../protocol.ts';
import type { SavedServer } from './servers-store.ts';
import { STATE_LABEL, connectionFacts, serverTitle } from './states.ts';

export interface CardHead {
  server: SavedServer;
  view: ConnectionView | undefined;
  state: ConnectionState;
  icon: string | undefined;
  /** Authorize is offered: authorization needed, a flow left unfinished, or other scopes saved. */
  canAuthorize: boolean;
  editing: boolean;
  authorize(): void;
  connect(): void;
  disconnect(): void;
  toggleSettings(): void;
  remove(): void;
}

export function renderHead(h: CardHead): TemplateResult {
  const { state } = h;
  return html`<header class="head">
    <div class="title">
      ${h.icon ? html`<img class="icon" src=${h.icon} alt="" width="24" height="24" />` : nothing}
      <h2 id="title" tabindex="-1">${serverTitle(h.server)}</h2>
      <span class="badge ${state}" data-state-label>${STATE_LABEL[state]}</span>
    </div>
    ${h.server.name ? html`<code class="url">${h.server.serverUrl}</code>` : nothing}
    <div class="actions">
      ${h.canAuthorize ? html`<button class="primary" @click=${() => h.authorize()}>Authorize</button>` : nothing}
      ${state === 'error' || state === 'disconnected' ? html`<button class="primary" @click=${() => h.connect()}>Connect</button>` : nothing}
      ${h.view ? html`<button @click=${() => h.disconnect()}>Disconnect</button>` : nothing}
      <button data-settings-button aria-expanded=${h.editing ? 'true' : 'false'} @click=${() => h.toggleSettings()}>Settings</button>
      <button class="danger" @click=${() => h.remove()}>Remove</button>
    </div>
  </header>`;
}

export interface CardNews {
  view: ConnectionView | undefined;
  state: ConnectionState;
  notice: string | undefined;
  /** A tool call that waits for the authorization. */
  waiting: string | undefined;
  error: string | undefined;
  /** When the card tries an unreachable server again by itself. */
  retryAt: number | undefined;
  protocolVersion: string | undefined;
}

export function renderNews(n: CardNews): TemplateResult {
  const { view: v, state, error } = n;
  const facts = connectionFacts(v, n.protocolVersion);
  return html`
    ${state === 'needs-authorization' && v?.reason
      ? html`<p class="reason">${v.reason} Authorize opens the authorization server’s page in this tab, and brings you back here.</p>`
      : nothing}
    ${n.notice ? html`<p role="status" class="notice">${n.notice}</p>` : nothing}
    ${v?.warning ? html`<p class="warning">${v.warning}</p>` : nothing}
    ${n.waiting && state !== 'connected'
      ? html`<p role="status" class="pending">The call to ${n.waiting} waits for authorization; it runs again once you have authorized.</p>`
      : nothing}
    ${error ? html`<p role="alert" class="error">${error}</p>` : nothing}
    ${error && n.retryAt
      ? html`<p class="hint" data-retry>Keyhole tries again by itself in ${Math.max(1, Math.round((n.retryAt - Date.now()) / 1000))} s.</p>`
      : nothing}
    ${facts.length ? html`<dl class="facts">${facts.map(([k, val]) => html`<div><dt>${k}</dt><dd>${val}</dd></div>`)}</dl>` : nothing}
  `;
}
