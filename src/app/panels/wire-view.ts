/**
 * The protocol view: every JSON-RPC message of one connection, newest last, with its time and
 * round-trip, filterable by direction, kind and text, and copyable as JSON. Credentials are
 * never in it: the page never had them (the service worker adds them on the way out).
 */
import { LitElement, css, html, nothing } from 'lit';
import type { WireEntry, WireLog } from '../wire-log.ts';
import { panelStyles } from './panel-styles.ts';

/** Rows drawn at once; the rest stay in the log (and in "Copy shown"). */
const SHOWN = 300;

export class WireView extends LitElement {
  static override properties = {
    log: { attribute: false },
    /** Whether its tab is shown: a hidden view does not redraw for every message. */
    active: { attribute: false },
    dir: { state: true },
    kind: { state: true },
    text: { state: true },
    copied: { state: true },
  };

  declare log: WireLog;
  declare active: boolean;
  declare dir: 'all' | 'out' | 'in';
  declare kind: 'all' | 'request' | 'response' | 'error' | 'notification';
  declare text: string;
  declare copied: string | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    this.dir = 'all';
    this.kind = 'all';
    this.text = '';
    this.active = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Showing the tab sets `active`, which redraws with everything recorded meanwhile.
    this.unsubscribe = this.log.subscribe(() => {
      if (this.active) this.requestUpdate();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  private shown(): WireEntry[] {
    const needle = this.text.trim().toLowerCase();
    return this.log.entries.filter(
      (e) =>
        (this.dir === 'all' || e.dir === this.dir) &&
        (this.kind === 'all' || e.kind === this.kind) &&
        (!needle || JSON.stringify(e.message).toLowerCase().includes(needle) || (e.method ?? '').toLowerCase().includes(needle)),
    );
  }

  private async copy(what: string, text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.copied = `Copied ${what}.`;
    } catch {
      this.copied = 'The browser did not allow copying; select the text instead.';
    }
  }

  override render() {
    const entries = this.shown();
    const drawn = entries.slice(-SHOWN);
    return html`
      <div class="filters" role="group" aria-label="Filter messages">
        <label>Direction
          <select @change=${(e: Event) => (this.dir = (e.target as HTMLSelectElement).value as WireView['dir'])}>
            <option value="all">Both</option>
            <option value="out">Sent</option>
            <option value="in">Received</option>
          </select>
        </label>
        <label>Kind
          <select @change=${(e: Event) => (this.kind = (e.target as HTMLSelectElement).value as WireView['kind'])}>
            <option value="all">All</option>
            <option value="request">Requests</option>
            <option value="response">Results</option>
            <option value="error">Errors</option>
            <option value="notification">Notifications</option>
          </select>
        </label>
        <label>Contains
          <input type="search" .value=${this.text} @input=${(e: Event) => (this.text = (e.target as HTMLInputElement).value)} />
        </label>
        <button @click=${() => void this.copy(`${entries.length} messages`, JSON.stringify(entries.map((e) => e.message), null, 2))}>
          Copy shown
        </button>
        <button @click=${() => this.log.clear()}>Clear</button>
      </div>
      <p class="hint" role="status">
        ${entries.length} of ${this.log.entries.length} messages${entries.length > SHOWN ? `, the last ${SHOWN} drawn` : ''}.
        ${this.copied ?? ''}
      </p>
      ${drawn.length
        ? html`<ol class="wire" tabindex="0" aria-label="JSON-RPC messages">
            ${drawn.map(
              (e) => html`<li data-dir=${e.dir} data-kind=${e.kind} data-method=${e.method ?? ''}>
                <details>
                  <summary>
                    <span class="dir" aria-label=${e.dir === 'out' ? 'sent' : 'received'}>${e.dir === 'out' ? '→' : '←'}</span>
                    <time datetime=${new Date(e.at).toISOString()}>${clock(e.at)}</time>
                    <span class="kind ${e.kind}">${e.kind}</span>
                    <span class="method">${e.method ?? ''}</span>
                    ${e.id !== undefined ? html`<span class="id">#${String(e.id)}</span>` : nothing}
                    ${e.ms !== undefined ? html`<span class="ms">${e.ms} ms</span>` : nothing}
                  </summary>
                  <pre>${JSON.stringify(e.message, null, 2)}</pre>
                  <button @click=${() => void this.copy(`message ${e.seq}`, JSON.stringify(e.message, null, 2))}>Copy</button>
                </details>
              </li>`,
            )}
          </ol>`
        : nothing}
    `;
  }

  static override styles = [
    panelStyles,
    css`
      .wire { list-style: none; padding: 0; margin: 0; font: 0.8rem ui-monospace, monospace; max-height: 32rem; overflow: auto; }
      .wire li { border-top: 1px solid var(--line); }
      .wire summary { display: flex; flex-wrap: wrap; gap: 0.5rem; padding: 0.2rem 0; cursor: pointer; }
      .wire .kind.error { color: var(--err); }
      .wire .ms, .wire .id, .wire time { color: var(--muted); }
      .wire pre { margin: 0.2rem 0; white-space: pre-wrap; word-break: break-word; }
    `,
  ];
}

function clock(at: number): string {
  const d = new Date(at);
  return `${d.toLocaleTimeString(undefined, { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

customElements.define('wire-view', WireView);
