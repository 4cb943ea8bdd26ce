/**
 * The protocol view: every JSON-RPC message of one server, newest at the bottom (as it arrived),
 * one line each: time, direction, method (or "result"/"error"), id, round trip and the start of
 * its content. A line opens to the whole message as foldable JSON. A request and its answer
 * point at each other ("Go to response", "Go to request"). Filterable by direction, kind and
 * text; the shown messages copy as JSON. The list follows new messages while it is scrolled to
 * the bottom, and offers "Jump to newest" when it is not.
 *
 * Credentials are never in it: the page never had them (the service worker adds them on the
 * way out).
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { WireEntry, WireLog } from '../wire-log.ts';
import { preview } from './json-fold.ts';
import { panelStyles } from './panel-styles.ts';
import './copy-button.ts';
import './json-view.ts';

/** Rows drawn at once; the rest stay in the log (and in "Copy shown"). */
const SHOWN = 300;
/** Characters of a row's summary: more than any window shows on one line. */
const SUMMARY_CHARS = 200;
/** How long the row a "Go to" landed on stays highlighted. */
const FLASH_MS = 2000;
/** Pixels from the bottom that still count as "at the newest". */
const NEAR_BOTTOM = 4;

type Dir = 'all' | 'out' | 'in';
type Kind = 'all' | 'request' | 'response' | 'error' | 'notification';

export class WireView extends LitElement {
  static override properties = {
    log: { attribute: false },
    /** Whether its tab is shown: a hidden view does not redraw for every message. */
    active: { attribute: false },
    dir: { state: true },
    kind: { state: true },
    text: { state: true },
    expanded: { state: true },
    atNewest: { state: true },
    flash: { state: true },
    said: { state: true },
  };

  declare log: WireLog;
  declare active: boolean;
  declare dir: Dir;
  declare kind: Kind;
  declare text: string;
  /** Rows open to their message, by `seq`. */
  declare expanded: Set<number>;
  /** Whether the list is scrolled to its bottom, where the newest message is. */
  declare atNewest: boolean;
  /** The row a "Go to" just landed on. */
  declare flash: number | undefined;
  /** What a "Go to" could not do. */
  declare said: string;
  private unsubscribe: (() => void) | undefined;
  /** Whether the list was at its bottom before this update: then new rows keep it there. */
  private follow = true;
  /** The newest row drawn, by the last render and by the one before it. */
  private newest: number | undefined;
  private newestBefore: number | undefined;
  private flashTimer: ReturnType<typeof setTimeout> | undefined;
  /** Per message, worked out once: its row's summary, and its text for the "Contains" filter. */
  private readonly summaries = new WeakMap<WireEntry, string>();
  private readonly haystacks = new WeakMap<WireEntry, string>();

  constructor() {
    super();
    this.dir = 'all';
    this.kind = 'all';
    this.text = '';
    this.active = false;
    this.expanded = new Set();
    this.atNewest = true;
    this.flash = undefined;
    this.said = '';
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
    clearTimeout(this.flashTimer);
  }

  private get list(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('ol.wire');
  }

  /** A list not laid out (its tab hidden) counts as at the bottom: it is scrolled there when shown. */
  private listAtBottom(): boolean {
    const list = this.list;
    if (!list || !list.clientHeight) return true;
    return list.scrollHeight - list.scrollTop - list.clientHeight <= NEAR_BOTTOM;
  }

  override willUpdate(): void {
    // Read before the new rows are in: only a list already at the bottom follows them.
    this.follow = this.listAtBottom();
  }

  override updated(changed: PropertyValues<this>): void {
    const list = this.list;
    const more = this.newest !== this.newestBefore || (changed.has('active') && this.active);
    if (list && more && this.follow) list.scrollTop = list.scrollHeight;
    this.newestBefore = this.newest;
    const atNewest = this.listAtBottom();
    if (atNewest !== this.atNewest) this.atNewest = atNewest;
  }

  private onScroll(): void {
    const atNewest = this.listAtBottom();
    if (atNewest !== this.atNewest) this.atNewest = atNewest;
  }

  private shown(): WireEntry[] {
    const needle = this.text.trim().toLowerCase();
    return this.log.entries.filter(
      (e) => (this.dir === 'all' || e.dir === this.dir) && (this.kind === 'all' || e.kind === this.kind) && (!needle || this.haystack(e).includes(needle)),
    );
  }

  private haystack(e: WireEntry): string {
    let text = this.haystacks.get(e);
    if (text === undefined) {
      text = `${e.method ?? ''}\n${JSON.stringify(e.message)}`.toLowerCase();
      this.haystacks.set(e, text);
    }
    return text;
  }

  private summary(e: WireEntry): string {
    let text = this.summaries.get(e);
    if (text === undefined) {
      const m = e.message as { params?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown } };
      text =
        e.kind === 'error'
          ? `${String(m.error?.code ?? '')} ${String(m.error?.message ?? '')}`.trim()
          : preview(withoutMeta(e.kind === 'response' ? m.result : m.params), SUMMARY_CHARS);
      this.summaries.set(e, text);
    }
    return text;
  }

  private toggle(seq: number): void {
    const expanded = new Set(this.expanded);
    if (!expanded.delete(seq)) expanded.add(seq);
    this.expanded = expanded;
  }

  /** Scrolls to the row of message `seq`, focuses it and highlights it for a moment. */
  private async goTo(seq: number): Promise<void> {
    this.said = '';
    // A partner hidden by the filters is worth seeing: the filters give way.
    if (!this.shown().some((e) => e.seq === seq)) {
      this.dir = 'all';
      this.kind = 'all';
      this.text = '';
    }
    this.flash = seq;
    await this.updateComplete;
    const row = this.renderRoot.querySelector<HTMLElement>(`li[data-seq="${seq}"]`);
    if (!row) {
      this.said = `Message ${seq} is not drawn: only the last ${SHOWN} are.`;
      return;
    }
    row.scrollIntoView({ block: 'nearest' });
    row.querySelector<HTMLElement>('button.toggle')?.focus({ preventScroll: true });
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => {
      if (this.flash === seq) this.flash = undefined;
    }, FLASH_MS);
  }

  private async jumpToNewest(): Promise<void> {
    const list = this.list;
    if (!list) return;
    list.scrollTop = list.scrollHeight;
    this.atNewest = true;
    await this.updateComplete;
    list.querySelector<HTMLElement>('li:last-child button.toggle')?.focus({ preventScroll: true });
  }

  override render() {
    const entries = this.shown();
    const drawn = entries.slice(-SHOWN);
    this.newest = drawn.at(-1)?.seq;
    return html`
      <div class="filters" role="group" aria-label="Filter messages">
        <label>Direction
          <select .value=${this.dir} @change=${(e: Event) => (this.dir = (e.target as HTMLSelectElement).value as Dir)}>
            <option value="all">Both</option>
            <option value="out">Sent</option>
            <option value="in">Received</option>
          </select>
        </label>
        <label>Kind
          <select .value=${this.kind} @change=${(e: Event) => (this.kind = (e.target as HTMLSelectElement).value as Kind)}>
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
        <copy-button label="Copy shown messages as JSON" .text=${() => JSON.stringify(entries.map((e) => e.message), null, 2)}>Copy shown</copy-button>
        <button type="button" @click=${() => this.log.clear()}>Clear</button>
      </div>
      <div class="status">
        <p class="hint">
          ${entries.length} of ${this.log.entries.length} messages${entries.length > SHOWN ? `, the last ${SHOWN} drawn` : ''}, newest at the bottom.
          <span role="status">${this.said}</span>
        </p>
        <button type="button" class="newest" ?disabled=${this.atNewest || !drawn.length} @click=${() => void this.jumpToNewest()}>
          Jump to newest <span aria-hidden="true">↓</span>
        </button>
      </div>
      ${drawn.length
        ? html`<ol class="wire" tabindex="0" aria-label="JSON-RPC messages, newest last" @scroll=${() => this.onScroll()}>
            ${repeat(drawn, (e) => e.seq, (e) => this.row(e))}
          </ol>`
        : nothing}
    `;
  }

  private row(e: WireEntry) {
    const open = this.expanded.has(e.seq);
    const answer = e.kind === 'response' || e.kind === 'error';
    const partner = e.partner !== undefined ? this.log.find(e.partner) : undefined;
    return html`<li
      data-seq=${e.seq}
      data-dir=${e.dir}
      data-kind=${e.kind}
      data-method=${e.method ?? ''}
      class=${this.flash === e.seq ? 'flash' : ''}
    >
      <div class="line">
        <button type="button" class="toggle" aria-expanded=${open ? 'true' : 'false'} aria-controls="body-${e.seq}" @click=${() => this.toggle(e.seq)}>
          <span class="marker" aria-hidden="true">${open ? '▾' : '▸'}</span>
          <time datetime=${new Date(e.at).toISOString()}>${clock(e.at)}</time>
          <span class="dir" aria-hidden="true">${e.dir === 'out' ? '→' : '←'}</span><span class="vh">${e.dir === 'out' ? 'sent' : 'received'}</span>
          ${answer
            ? html`<span class="what ${e.kind}">${e.kind === 'error' ? 'error' : 'result'}</span>`
            : html`<span class="what method">${e.method ?? ''}</span>`}
          ${e.id !== undefined ? html`<span class="id">#${String(e.id)}</span>` : nothing}
          ${e.ms !== undefined ? html`<span class="ms">${e.ms} ms</span>` : nothing}
          ${e.kind === 'request'
            ? html`<span class="outcome ${e.answer ?? 'pending'}">${e.answer === 'error' ? 'error' : e.answer ? 'ok' : 'pending'}</span>`
            : nothing}
          ${answer && e.method ? html`<span class="of">${e.method}</span>` : nothing}
          <span class="summary">${this.summary(e)}</span>
        </button>
        ${partner
          ? html`<button type="button" class="partner" aria-label=${answer ? 'Go to request' : 'Go to response'} title=${answer ? 'Go to request' : 'Go to response'} @click=${() => void this.goTo(partner.seq)}>
              <span aria-hidden="true">${answer ? '↑' : '↓'}</span><span class="word"> ${answer ? 'request' : 'response'}</span>
            </button>`
          : nothing}
      </div>
      ${open
        ? html`<div class="body" id="body-${e.seq}">
            <p class="meta">
              ${e.dir === 'out' ? 'Sent' : 'Received'} at <time datetime=${new Date(e.at).toISOString()}>${clock(e.at)}</time>${e.ms !== undefined
                ? `, ${e.ms} ms ${answer ? 'after its request' : 'until its answer'}`
                : ''}${e.kind === 'request' && !e.answer ? ', not answered yet' : ''}.
            </p>
            <!-- One more level open than elsewhere: the JSON-RPC envelope (result, params) takes one. -->
            <json-view .value=${e.message} label="message ${e.seq}" levels="4"></json-view>
          </div>`
        : nothing}
    </li>`;
  }

  static override styles = [
    panelStyles,
    css`
      /* Rows fit the view's own width (a narrow sidebar or a phone), not the window's. */
      :host { min-width: 0; container-type: inline-size; }
      .status { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.25rem 0.75rem; }
      .status .hint { flex: 1 1 12rem; }
      button.newest { padding: 0.15rem 0.6rem; font-size: 0.8rem; }
      /* The list scrolls on its own, as a log does, so the controls above stay in reach. */
      .wire { list-style: none; padding: 0; margin: 0; max-height: max(18rem, 65vh); overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
      .wire li + li { border-top: 1px solid var(--line); }
      /* A frame, not a tint: every text colour keeps its contrast on the card's background. */
      .wire li.flash { box-shadow: inset 0 0 0 2px var(--accent), inset 6px 0 0 var(--accent); }
      .line { display: flex; align-items: center; gap: 0.25rem; min-width: 0; padding-right: 0.25rem; font: 0.8rem/1.5 ui-monospace, monospace; }
      /* One line per message: the summary gives way first, then the method; nothing wraps. */
      button.toggle { all: unset; box-sizing: border-box; flex: 1 1 auto; min-width: 0; display: flex; align-items: baseline; gap: 0.8ch; white-space: nowrap; overflow: hidden; padding: 0.15rem 0.4rem; cursor: pointer; position: relative; }
      button.toggle:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }
      button.toggle:hover .marker { color: var(--accent); }
      button.toggle > * { flex: none; }
      .marker { color: var(--muted); }
      time, .id, .ms, .of { color: var(--muted); }
      .what { font-weight: 600; }
      .what.error, .outcome.error { color: var(--err); }
      button.toggle .what.method, button.toggle .of { flex: 0 1 auto; min-width: 4ch; overflow: hidden; text-overflow: ellipsis; }
      .outcome.response { color: var(--ok); }
      .outcome.pending { color: var(--warn); }
      button.toggle .summary { flex: 1 1 0; min-width: 0; overflow: hidden; text-overflow: ellipsis; color: var(--muted); }
      button.partner { flex: none; font-size: 0.75rem; padding: 0 0.4rem; white-space: nowrap; }
      .body { padding: 0 0.4rem 0.5rem 1.6rem; min-width: 0; }
      .meta { margin: 0.1rem 0; font-size: 0.8rem; color: var(--muted); }
      .filters copy-button::part(button) { font-size: inherit; padding: 0.35rem 0.8rem; }
      .vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
      /* Narrow: the time moves into the opened message, "Go to" buttons show only their arrow. */
      @container (max-width: 36rem) {
        button.toggle time { display: none; }
        button.partner .word { display: none; }
        .body { padding-left: 0.4rem; }
      }
    `,
  ];
}

/** What a one-line summary shows of params or a result: not `_meta` (MCP's bookkeeping), which would fill the line. */
function withoutMeta(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('_meta' in value)) return value;
  const { _meta: _, ...rest } = value as Record<string, unknown>;
  return rest;
}

function clock(at: number): string {
  const d = new Date(at);
  return `${d.toLocaleTimeString(undefined, { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

customElements.define('wire-view', WireView);
