/**
 * `<json-view>`: a JSON value, monospaced and foldable.
 *
 *   <json-view .value=${message} label="message 12"></json-view>
 *
 * Properties: `value` (any JSON value), `label` (what it is, for accessible names: "Copy
 * message 12 as JSON"), `levels` (levels open at first sight, default 3).
 *
 * Objects and arrays have a disclosure button (aria-expanded) and say in one line what they hold
 * when folded (`{…} 5 keys`). The top and two levels below it start open, within a line budget;
 * deeper levels start folded, and a folded container's children are not drawn at all, so a
 * 2 MB value draws as fast as a small one (json-fold.ts decides). Long lists show 100 children
 * at a time, long strings their first 2000 characters, each with a button for the rest.
 * "Copy" copies the whole value as JSON, written out only when pressed.
 *
 * Every key and string is a Lit text binding: whatever a server sends is shown as text.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import {
  CHILD_PAGE,
  OPEN_LEVELS,
  STRING_CLIP,
  childCount,
  childPointer,
  children,
  expandAll,
  foldSummary,
  initiallyOpen,
  isContainer,
  longerThan,
} from './json-fold.ts';
import { panelStyles } from './panel-styles.ts';
import './copy-button.ts';

/** JSON longer than this gets a box of its own with a scroll bar (the rest grow with their content). */
const HUGE_CHARS = 100_000;
/** Keys up to this long are never broken across lines; longer ones break where they must, after a "/", "." and the like first. */
const SHORT_KEY = 16;

export class JsonView extends LitElement {
  static override properties = {
    value: { attribute: false },
    label: {},
    levels: { type: Number },
    open: { state: true },
    pages: { state: true },
    whole: { state: true },
    note: { state: true },
  };

  /** The value to show: anything JSON.parse can return. */
  declare value: unknown;
  /** What the value is, for accessible names: "Copy <label> as JSON", the group's name. */
  declare label: string;
  /** Levels open at first sight, the value itself counting as one (default 3: the value and two below). */
  declare levels: number;
  /** Open containers, by JSON Pointer (RFC 6901). */
  declare open: Set<string>;
  /** Children drawn of long containers, by pointer (default CHILD_PAGE). */
  declare pages: Map<string, number>;
  /** Long strings drawn whole, by pointer. */
  declare whole: Set<string>;
  declare note: string;
  private huge = false;

  constructor() {
    super();
    this.value = null;
    this.label = 'JSON value';
    this.levels = OPEN_LEVELS;
    this.open = new Set();
    this.pages = new Map();
    this.whole = new Set();
    this.note = '';
  }

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('value') || changed.has('levels')) {
      this.open = initiallyOpen(this.value, this.levels);
      this.pages = new Map();
      this.whole = new Set();
      this.note = '';
      this.huge = longerThan(this.value, HUGE_CHARS);
    }
  }

  private toggle(pointer: string): void {
    const open = new Set(this.open);
    if (!open.delete(pointer)) open.add(pointer);
    this.open = open;
  }

  private expandAll(): void {
    const { open, complete } = expandAll(this.value);
    this.open = open;
    this.note = complete ? '' : 'Opened what draws quickly; open the rest one by one.';
  }

  private collapseAll(): void {
    // The value itself stays open: one line saying "{…} 3 keys" would show nothing.
    this.open = new Set(['']);
    this.note = '';
  }

  private showMore(pointer: string, shown: number): void {
    this.pages = new Map(this.pages).set(pointer, shown + CHILD_PAGE);
  }

  override render() {
    const foldable = isContainer(this.value) && childCount(this.value) > 0;
    return html`<div class="bar" role="group" aria-label=${this.label}>
        ${foldable
          ? html`<button type="button" @click=${() => this.expandAll()}>Expand all</button>
              <button type="button" @click=${() => this.collapseAll()}>Collapse all</button>`
          : nothing}
        <copy-button label="Copy ${this.label} as JSON" .text=${() => JSON.stringify(this.value, null, 2)}></copy-button>
        <span class="note" role="status">${this.note}</span>
      </div>
      <div
        class="tree ${this.huge ? 'huge' : ''}"
        role=${this.huge ? 'region' : nothing}
        aria-label=${this.huge ? `${this.label} (large; scrolls)` : nothing}
        tabindex=${this.huge ? '0' : nothing}
      >
        ${this.node(undefined, this.value, '', true)}
      </div>`;
  }

  private node(key: string | undefined, value: unknown, pointer: string, last: boolean): TemplateResult {
    const comma = last ? '' : ',';
    const name = key === undefined ? nothing : html`${keyText(key)}: `;
    if (!isContainer(value)) return html`<div class="line">${name}${this.leaf(value, pointer)}${comma}</div>`;
    const n = childCount(value);
    const [opening, closing] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
    if (n === 0) return html`<div class="line">${name}${opening}${closing}${comma}</div>`;
    const isOpen = this.open.has(pointer);
    const head = html`<button type="button" class="fold" aria-expanded=${isOpen ? 'true' : 'false'} @click=${() => this.toggle(pointer)}
      ><span class="marker" aria-hidden="true">${isOpen ? '▾' : '▸'}</span>${name}${isOpen
        ? opening
        : html`<span class="summary">${foldSummary(value)}</span>`}</button
    >`;
    if (!isOpen) return html`<div class="line">${head}${comma}</div>`;
    // Children are drawn only while their container is open, and only a page of them at a time.
    const shown = this.pages.get(pointer) ?? CHILD_PAGE;
    const isArray = Array.isArray(value);
    return html`<div class="line">${head}</div>
      <div class="kids">
        ${children(value, shown).map(([k, v], i) => this.node(isArray ? undefined : String(k), v, childPointer(pointer, k), i === n - 1))}
        ${n > shown
          ? html`<div class="line">
              <button type="button" class="more" @click=${() => this.showMore(pointer, shown)}>
                Show ${Math.min(CHILD_PAGE, n - shown)} more (${shown} of ${n} shown)
              </button>
            </div>`
          : nothing}
      </div>
      <div class="line">${closing}${comma}</div>`;
  }

  private leaf(value: unknown, pointer: string): TemplateResult {
    if (typeof value !== 'string') {
      const kind = typeof value === 'number' ? 'num' : 'lit';
      return html`<span class=${kind}>${JSON.stringify(value) ?? 'null'}</span>`;
    }
    if (value.length <= STRING_CLIP || this.whole.has(pointer)) return html`<span class="str">${JSON.stringify(value)}</span>`;
    // A long string (an image's base64, a file) shows its start; drawing 2 MB of text is on request.
    const start = JSON.stringify(value.slice(0, STRING_CLIP)).slice(0, -1);
    return html`<span class="str">${start}…</span>
      <button type="button" class="more" @click=${() => (this.whole = new Set(this.whole).add(pointer))}>
        Show all ${value.length.toLocaleString()} characters
      </button>`;
  }

  static override styles = [
    panelStyles,
    css`
      :host { display: block; min-width: 0; }
      .bar { font-family: inherit; display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: baseline; margin: 0.25rem 0; }
      .bar button { padding: 0.1rem 0.5rem; font-size: 0.8rem; }
      .note { font-size: 0.8rem; color: var(--muted); }
      .tree { font: 0.8rem/1.45 ui-monospace, monospace; overflow-wrap: anywhere; padding-left: 1.5ch; }
      /* Only a large value scrolls on its own; keyboard users scroll it once it has focus (tabindex). */
      .tree.huge { max-height: 70vh; overflow: auto; border: 1px solid var(--line); border-radius: 6px; padding: 0.25rem 0.25rem 0.25rem 1.75ch; }
      .line { position: relative; }
      /* Spaces inside keys and strings are kept as sent; a short key never breaks, a string breaks anywhere it must. */
      .kids { padding-left: 2ch; }
      .key { white-space: pre; }
      .key.long { white-space: pre-wrap; overflow-wrap: anywhere; }
      .str { color: var(--ok); white-space: pre-wrap; }
      .num { color: var(--accent); }
      .lit { color: var(--warn); }
      .summary { color: var(--muted); }
      button.fold { all: unset; cursor: pointer; border-radius: 3px; }
      button.fold:hover .marker { color: var(--accent); }
      button.fold:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
      /* The marker hangs in the gutter left of the line, so keys of open and folded containers line up with plain ones. */
      .marker { position: absolute; left: -1.5ch; color: var(--muted); }
      button.more { font: inherit; font-size: 0.75rem; padding: 0 0.4rem; margin: 0.1rem 0; }
    `,
  ];
}

/** A key as JSON; a long one may break after its separators ("io.modelcontextprotocol/<wbr>serverInfo"). */
function keyText(key: string): TemplateResult {
  const quoted = JSON.stringify(key);
  if (key.length <= SHORT_KEY) return html`<span class="key">${quoted}</span>`;
  const parts = quoted.split(/(?<=[/.\-_:])/);
  return html`<span class="key long">${parts.map((p, i) => (i ? html`<wbr />${p}` : p))}</span>`;
}

customElements.define('json-view', JsonView);

declare global {
  interface HTMLElementTagNameMap {
    'json-view': JsonView;
  }
}
