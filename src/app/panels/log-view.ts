/**
 * The server's live log (MCP logging: notifications/message), newest last, with a level filter
 * on this page and, when the server offers logging, the level it should send from
 * (logging/setLevel). Log data is server text: shown as text or pretty JSON, never as HTML.
 */
import { LitElement, css, html } from 'lit';
import type { LoggingLevel } from '@modelcontextprotocol/client';
import type { LogEntry } from '../mcp-session.ts';
import { panelStyles } from './panel-styles.ts';

/** RFC 5424 severities, least severe first (the order MCP logging uses). */
export const LEVELS: LoggingLevel[] = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

export class LogView extends LitElement {
  static override properties = {
    entries: { attribute: false },
    canSetLevel: { attribute: false },
    shownFrom: { state: true },
  };

  declare entries: LogEntry[];
  declare canSetLevel: boolean;
  /** Least severe level shown. */
  declare shownFrom: LoggingLevel;

  constructor() {
    super();
    this.entries = [];
    this.canSetLevel = false;
    this.shownFrom = 'debug';
  }

  private setServerLevel(level: LoggingLevel): void {
    this.dispatchEvent(new CustomEvent('set-log-level', { detail: level, bubbles: true, composed: true }));
  }

  override render() {
    const from = LEVELS.indexOf(this.shownFrom);
    const shown = this.entries.filter((e) => LEVELS.indexOf(e.level) >= from);
    return html`
      <div class="filters">
        <label>Show from level
          <select @change=${(e: Event) => (this.shownFrom = (e.target as HTMLSelectElement).value as LoggingLevel)}>
            ${LEVELS.map((l) => html`<option value=${l} ?selected=${l === this.shownFrom}>${l}</option>`)}
          </select>
        </label>
        ${this.canSetLevel
          ? html`<label>Server sends from
              <select @change=${(e: Event) => this.setServerLevel((e.target as HTMLSelectElement).value as LoggingLevel)}>
                <option value="" disabled selected>(server default)</option>
                ${LEVELS.map((l) => html`<option value=${l}>${l}</option>`)}
              </select>
            </label>`
          : html`<p class="hint">This server does not offer log levels; it may still send log messages.</p>`}
        <button @click=${() => this.dispatchEvent(new CustomEvent('clear-log', { bubbles: true, composed: true }))}>Clear</button>
      </div>
      <p class="hint" role="status">${shown.length} of ${this.entries.length} log messages shown.</p>
      <ol class="log" aria-label="Log messages" tabindex="0">
        ${shown.map(
          (e) => html`<li data-level=${e.level}>
            <time datetime=${new Date(e.at).toISOString()}>${new Date(e.at).toLocaleTimeString(undefined, { hour12: false })}</time>
            <span class="level ${e.level}">${e.level}</span>
            ${e.logger ? html`<span class="logger">${e.logger}</span>` : ''}
            <span class="data">${typeof e.data === 'string' ? e.data : JSON.stringify(e.data)}</span>
          </li>`,
        )}
      </ol>
    `;
  }

  static override styles = [
    panelStyles,
    css`
      .log { list-style: none; padding: 0; margin: 0; font: 0.8rem ui-monospace, monospace; max-height: 24rem; overflow: auto; }
      .log li { display: flex; flex-wrap: wrap; gap: 0.5rem; border-top: 1px solid var(--line); padding: 0.2rem 0; }
      .log time, .logger { color: var(--muted); }
      .level { font-weight: 600; }
      .level.warning { color: var(--warn); }
      .level.error, .level.critical, .level.alert, .level.emergency { color: var(--err); }
      .data { white-space: pre-wrap; word-break: break-word; flex: 1 1 12rem; }
    `,
  ];
}

customElements.define('log-view', LogView);
