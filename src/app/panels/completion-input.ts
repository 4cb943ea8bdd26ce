/**
 * A text field that offers the server's suggestions (MCP `completion/complete`) as the person
 * types: the WAI-ARIA combobox pattern with a list popup (APG "Combobox with list autocomplete"):
 * ArrowDown opens the list or moves down, ArrowUp moves up, Enter or a click takes the highlighted
 * suggestion, Escape closes the list. Without a `source` it is a plain field.
 *
 * It draws into the light DOM, not a shadow root: the `<input>` stays a member of the panel's
 * `<form>` (FormData, `required`), and the panel's `<label for>` names it. The panel adds
 * `completionInputStyles` to its own styles for the same reason.
 */
import { LitElement, css, html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import { CompletionRequests, suggestionsOf, type Completion, type Outcome } from '../completion-rules.ts';

/** Asks the server for completions of `value` (the panel binds ref, argument name and context). */
export type CompletionSource = (value: string) => Promise<Completion>;

export class CompletionInput extends LitElement {
  static override properties = {
    inputId: { attribute: false },
    name: { attribute: false },
    value: { attribute: false },
    required: { attribute: false },
    describedBy: { attribute: false },
    source: { attribute: false },
    suggestions: { state: true },
    more: { state: true },
    expanded: { state: true },
    active: { state: true },
    problem: { state: true },
  };

  /** The `<input>`'s id (for the panel's `<label for>`); the list's ids derive from it. */
  declare inputId: string;
  /** The `<input>`'s name (the argument or variable), also naming the list of suggestions. */
  declare name: string;
  declare value: string;
  declare required: boolean;
  /** Ids of the field's hints, for aria-describedby. */
  declare describedBy: string | undefined;
  /** Where suggestions come from; undefined when the server offers none (a plain field then). */
  declare source: CompletionSource | undefined;
  declare suggestions: string[];
  declare more: string | undefined;
  declare expanded: boolean;
  /** Index of the highlighted suggestion, -1 for none. */
  declare active: number;
  /** Why suggestions could not be had, shown quietly under the field. */
  declare problem: string | undefined;

  private readonly requests = new CompletionRequests<Completion>(
    (value) => this.source?.(value) ?? Promise.resolve({ values: [] }),
    (_value, outcome) => this.answered(outcome),
  );

  constructor() {
    super();
    this.inputId = '';
    this.name = '';
    this.value = '';
    this.required = false;
    this.suggestions = [];
    this.expanded = false;
    this.active = -1;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.requests.cancel();
  }

  private get input(): HTMLInputElement | null {
    return this.querySelector('input');
  }

  private answered(outcome: Outcome<Completion>): void {
    if (!outcome.ok) {
      this.problem = `No suggestions: ${(outcome.error as Error)?.message ?? String(outcome.error)}`;
      this.close();
      return;
    }
    this.problem = undefined;
    const { values, more } = suggestionsOf(outcome.result);
    this.suggestions = values;
    this.more = more;
    this.active = -1;
    // Only a field the person is in opens its list: an answer arriving after they moved on waits.
    this.expanded = values.length > 0 && !!this.input?.matches(':focus');
  }

  private close(): void {
    this.expanded = false;
    this.active = -1;
  }

  /** True while a pick announces itself: that input event asks nothing (it would reopen the list). */
  private picking = false;

  private onInput(e: Event): void {
    this.value = (e.target as HTMLInputElement).value;
    if (this.source && !this.picking) this.requests.typed(this.value);
  }

  private pick(value: string): void {
    const input = this.input;
    this.value = value;
    this.close();
    // An answer still on its way is for what was typed before the pick.
    this.requests.cancel();
    if (!input) return;
    input.value = value;
    input.focus();
    // The panel keeps what was typed from the field's own input event; a pick is typing too.
    this.picking = true;
    try {
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
    } finally {
      this.picking = false;
    }
  }

  private onKey(e: KeyboardEvent): void {
    if (!this.source) return;
    const n = this.suggestions.length;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!this.expanded) {
        // Opening asks again: what is shown must be for what the field holds now.
        this.requests.now(this.value);
        if (n) this.expanded = true;
        return;
      }
      if (!n) return;
      this.active = e.key === 'ArrowDown' ? (this.active + 1) % n : this.active <= 0 ? n - 1 : this.active - 1;
      void this.updateComplete.then(() => this.querySelector(`#${CSS.escape(this.optionId(this.active))}`)?.scrollIntoView({ block: 'nearest' }));
    } else if (e.key === 'Enter' && this.expanded && this.active >= 0) {
      // Takes the suggestion instead of submitting the form.
      e.preventDefault();
      this.pick(this.suggestions[this.active]!);
    } else if (e.key === 'Escape' && this.expanded) {
      e.preventDefault();
      e.stopPropagation();
      this.close();
    }
  }

  private get listId(): string {
    return `${this.inputId}-suggestions`;
  }

  private optionId(i: number): string {
    return `${this.inputId}-suggestion-${i}`;
  }

  override render() {
    if (!this.source) {
      return html`<input
        id=${this.inputId}
        name=${this.name}
        ?required=${this.required}
        aria-describedby=${this.describedBy ?? nothing}
        autocomplete="off"
        .value=${live(this.value)}
        @input=${(e: Event) => this.onInput(e)}
      />`;
    }
    const problemId = `${this.inputId}-completion-problem`;
    const describedBy = [this.describedBy, this.problem ? problemId : undefined].filter(Boolean).join(' ');
    return html`<div class="completion">
      <input
        id=${this.inputId}
        name=${this.name}
        ?required=${this.required}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded=${this.expanded ? 'true' : 'false'}
        aria-controls=${this.listId}
        aria-activedescendant=${this.expanded && this.active >= 0 ? this.optionId(this.active) : nothing}
        aria-describedby=${describedBy || nothing}
        autocomplete="off"
        .value=${live(this.value)}
        @input=${(e: Event) => this.onInput(e)}
        @keydown=${(e: KeyboardEvent) => this.onKey(e)}
        @blur=${() => this.close()}
      />
      <div class="completion-popup" ?hidden=${!this.expanded}>
        <ul role="listbox" id=${this.listId} aria-label="Suggestions for ${this.name}">
          ${this.suggestions.map(
            (s, i) => html`<li
              role="option"
              id=${this.optionId(i)}
              aria-selected=${i === this.active ? 'true' : 'false'}
              @mousedown=${(e: MouseEvent) => e.preventDefault()}
              @click=${() => this.pick(s)}
            >
              ${s}
            </li>`,
          )}
        </ul>
        ${this.more ? html`<p class="completion-more">${this.more}</p>` : nothing}
      </div>
      <span class="completion-status" role="status"
        >${this.expanded ? `${this.suggestions.length} suggestion${this.suggestions.length === 1 ? '' : 's'}` : ''}</span
      >
      ${this.problem ? html`<span class="hint completion-problem" id=${problemId}>${this.problem}</span>` : nothing}
    </div>`;
  }
}

/** For the panel's styles (the element draws into the panel's shadow root). */
export const completionInputStyles = css`
  completion-input { display: block; min-width: 0; }
  completion-input input { width: 100%; }
  .completion { position: relative; }
  .completion-popup {
    position: absolute; z-index: 2; left: 0; right: 0; top: calc(100% + 2px);
    background: var(--card, var(--bg)); color: var(--fg); border: 1px solid var(--line); border-radius: 6px;
    box-shadow: 0 4px 12px rgb(0 0 0 / 0.18); max-height: 14rem; overflow-y: auto;
  }
  .completion-popup[hidden] { display: none; }
  .completion-popup ul { list-style: none; margin: 0; padding: 0.2rem; display: grid; }
  .completion-popup li { padding: 0.3rem 0.5rem; border-radius: 4px; cursor: pointer; overflow-wrap: anywhere; font-size: 0.9rem; }
  .completion-popup li:hover { background: var(--bg); }
  .completion-popup li[aria-selected='true'] { background: var(--accent); color: var(--accent-fg); }
  .completion-more { margin: 0; padding: 0.2rem 0.7rem 0.4rem; color: var(--muted); font-size: 0.8rem; }
  .completion-problem { display: block; margin: 0.15rem 0 0; font-size: 0.8rem; }
  .completion-status { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
`;

customElements.define('completion-input', CompletionInput);
