/**
 * The list half of a list/detail panel (tools, resources, prompts): a filter field and a list of
 * entries, one of which is open. Arrow keys move through the list, Enter or Space opens the
 * focused entry, Home and End jump; ArrowDown from the filter enters the list, Escape clears it.
 * The detail half is the panel's own; this element only says which entry the person opened
 * (`item-open`, detail: the entry's key).
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { panelStyles } from './panel-styles.ts';

export interface ListItem {
  /** Unique within the list: a tool or prompt name, a resource URI, a template. */
  key: string;
  /** The primary line: the title if the server gave one, else the name. */
  label: string;
  /** Shown beside the label in monospace when it differs (the name under a title). */
  code?: string;
  /** One line of description (cut with an ellipsis). */
  description?: string;
  /** Short tags (annotation hints, "template"). */
  badges?: string[];
  /** A `data:` image URL already checked by `iconSrc` (content/media.ts); none when undefined. */
  icon?: string | undefined;
}

export class ItemList extends LitElement {
  static override properties = {
    items: { attribute: false },
    selected: { attribute: false },
    label: { attribute: false },
    filter: { state: true },
    active: { state: true },
  };

  declare items: ListItem[];
  /** The key of the open entry, if any. */
  declare selected: string | undefined;
  /** What the list holds, in the plural ("Tools"): names the list and its filter. */
  declare label: string;
  declare filter: string;
  /** The key of the entry that has keyboard focus within the list. */
  declare active: string | undefined;

  constructor() {
    super();
    this.items = [];
    this.label = 'Items';
    this.filter = '';
  }

  /** Puts the cursor in the filter field (the panel's shortcut). */
  focusFilter(): void {
    const input = this.renderRoot.querySelector<HTMLInputElement>('input[type=search]');
    input?.focus();
    input?.select();
  }

  private get shown(): ListItem[] {
    const f = this.filter.trim().toLowerCase();
    if (!f) return this.items;
    return this.items.filter((i) => [i.key, i.label, i.code, i.description].some((s) => s?.toLowerCase().includes(f)));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('selected') && this.selected !== undefined) this.active = this.selected;
  }

  private open(key: string): void {
    this.active = key;
    this.dispatchEvent(new CustomEvent<string>('item-open', { detail: key, bubbles: true, composed: true }));
  }

  private focusItem(key: string): void {
    this.active = key;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`)?.focus());
  }

  private onListKey(e: KeyboardEvent): void {
    const shown = this.shown;
    if (!shown.length) return;
    const i = Math.max(0, shown.findIndex((s) => s.key === this.active));
    const to =
      e.key === 'ArrowDown' ? shown[Math.min(shown.length - 1, i + 1)]
      : e.key === 'ArrowUp' ? (i === 0 ? undefined : shown[i - 1])
      : e.key === 'Home' ? shown[0]
      : e.key === 'End' ? shown.at(-1)
      : undefined;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.open(shown[i]!.key);
    } else if (to) {
      e.preventDefault();
      this.focusItem(to.key);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      this.focusFilter();
    }
  }

  private onFilterKey(e: KeyboardEvent): void {
    const shown = this.shown;
    if (e.key === 'ArrowDown' && shown.length) {
      e.preventDefault();
      this.focusItem(shown.some((s) => s.key === this.active) ? this.active! : shown[0]!.key);
    } else if (e.key === 'Enter' && shown.length === 1) {
      e.preventDefault();
      this.open(shown[0]!.key);
    } else if (e.key === 'Escape' && this.filter) {
      e.preventDefault();
      this.filter = '';
    }
  }

  override render() {
    const shown = this.shown;
    // One entry takes the Tab stop: the focused one, else the open one, else the first.
    const tabStop = shown.find((s) => s.key === this.active)?.key ?? shown.find((s) => s.key === this.selected)?.key ?? shown[0]?.key;
    return html`
      <input
        type="search"
        placeholder="Filter ${this.label.toLowerCase()}"
        aria-label="Filter ${this.label.toLowerCase()}"
        .value=${this.filter}
        @input=${(e: Event) => (this.filter = (e.target as HTMLInputElement).value)}
        @keydown=${(e: KeyboardEvent) => this.onFilterKey(e)}
      />
      <p class="hint count" role="status">
        ${this.filter && shown.length !== this.items.length ? `${shown.length} of ${this.items.length}` : ''}
        ${this.filter && !shown.length ? 'Nothing matches the filter.' : ''}
      </p>
      <ul role="listbox" aria-label=${this.label} @keydown=${(e: KeyboardEvent) => this.onListKey(e)}>
        ${shown.map(
          (item) => html`<li
            role="option"
            data-key=${item.key}
            aria-selected=${item.key === this.selected ? 'true' : 'false'}
            tabindex=${item.key === tabStop ? 0 : -1}
            @click=${() => this.open(item.key)}
            @focus=${() => (this.active = item.key)}
          >
            <span class="line">
              ${item.icon ? html`<img class="icon" src=${item.icon} alt="" width="16" height="16" />` : nothing}
              <span class="label">${item.label}</span>
              ${item.code && item.code !== item.label ? html`<code>${item.code}</code>` : nothing}
            </span>
            ${item.description ? html`<span class="desc">${item.description}</span>` : nothing}
            ${item.badges?.length ? html`<span class="badges">${item.badges.map((b) => html`<span class="badge">${b}</span>`)}</span>` : nothing}
          </li>`,
        )}
      </ul>
      ${this.items.length ? nothing : html`<p class="hint">No ${this.label.toLowerCase()}.</p>`}
    `;
  }

  static override styles = [
    panelStyles,
    css`
      :host { display: grid; gap: 0.4rem; align-content: start; min-width: 0; }
      input[type='search'] { width: 100%; }
      .count { margin: 0; }
      .count:empty { display: none; }
      /* A long list scrolls within itself (the panel sets how tall it may be). */
      ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 1px; max-height: var(--item-list-max-height, none); overflow-y: auto; }
      li { display: grid; gap: 0.1rem; padding: 0.35rem 0.5rem; border-radius: 6px; cursor: pointer; border-left: 3px solid transparent; min-width: 0; }
      li:hover { background: var(--bg); }
      li[aria-selected='true'] { background: var(--bg); border-left-color: var(--accent); }
      li:focus-visible { outline: 3px solid var(--accent); outline-offset: -3px; }
      .line { display: flex; gap: 0.4rem; align-items: center; min-width: 0; }
      .label { font-weight: 600; font-size: 0.9rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      /* Beside a long URI the name stays readable: the code gives way first. */
      code { font-size: 0.75rem; color: var(--muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; flex-shrink: 10; }
      .icon { width: 16px; height: 16px; flex: none; object-fit: contain; }
      .desc { color: var(--muted); font-size: 0.8rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .badges { display: flex; flex-wrap: wrap; gap: 0.25rem; }
      .badge { font-size: 0.7rem; border: 1px solid var(--line); border-radius: 999px; padding: 0 0.4rem; color: var(--muted); }
    `,
  ];
}

customElements.define('item-list', ItemList);
