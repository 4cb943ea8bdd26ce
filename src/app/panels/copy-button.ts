/**
 * `<copy-button>`: copies text to the clipboard and says, for two seconds, whether it worked.
 *
 *   <copy-button label="Copy result" .text=${() => JSON.stringify(value, null, 2)}></copy-button>
 *
 * `text` may be a function, so a large value is written out only when someone copies it. The
 * visible text is the slotted content ("Copy" when there is none); `label` is the accessible
 * name and starts with it (WCAG 2.5.3, label in name). The button is `::part(button)` for a
 * host that wants it to match its own buttons.
 *
 * Never give it a credential: the page has none (the service worker keeps every token), and what
 * it copies is what the page shows.
 */
import { LitElement, css, html } from 'lit';
import { panelStyles } from './panel-styles.ts';

/** How long "Copied" stays. */
const SAID_MS = 2000;

export class CopyButton extends LitElement {
  static override properties = {
    text: { attribute: false },
    label: {},
    said: { state: true },
  };

  declare text: string | (() => string);
  declare label: string;
  declare said: string;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.text = '';
    this.label = 'Copy';
    this.said = '';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
  }

  private async copy(): Promise<void> {
    try {
      const text = typeof this.text === 'function' ? this.text() : this.text;
      // Undefined where the page is not a secure context; writeText rejects when the browser refuses.
      if (!navigator.clipboard) throw new Error('no clipboard here');
      await navigator.clipboard.writeText(text);
      this.say('Copied');
    } catch (e) {
      this.say(`Copy failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private say(what: string): void {
    this.said = what;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => (this.said = ''), SAID_MS);
  }

  override render() {
    return html`<button type="button" part="button" aria-label=${this.label} title=${this.label} @click=${() => void this.copy()}><slot>Copy</slot></button
      ><span class="said" role="status">${this.said}</span>`;
  }

  static override styles = [
    panelStyles,
    css`
      :host { display: inline-flex; align-items: baseline; flex-wrap: wrap; vertical-align: baseline; }
      button { padding: 0.1rem 0.5rem; font-size: 0.8rem; }
      /* Always in the page (a live region added with its message may not be announced), taking no room when empty. */
      .said { font-size: 0.8rem; color: var(--muted); margin-left: 0.4rem; }
      .said:empty { margin: 0; }
    `,
  ];
}

customElements.define('copy-button', CopyButton);

declare global {
  interface HTMLElementTagNameMap {
    'copy-button': CopyButton;
  }
}
