/**
 * The roots a person offers one server (MCP roots: `file://` URIs the server may work within).
 * The list is kept with the server's settings in page storage (it is no secret) and the server
 * is told when it changes (notifications/roots/list_changed).
 */
import { LitElement, css, html, nothing } from 'lit';
import type { Root } from '@modelcontextprotocol/client';
import { panelStyles } from './panel-styles.ts';

/** MCP roots: "the URI MUST start with file://" (client/roots). */
export function checkRoot(uri: string): string | undefined {
  try {
    const u = new URL(uri);
    return u.protocol === 'file:' ? undefined : 'A root must be a file:// URI, for example file:///home/me/project.';
  } catch {
    return 'That is not a URI; a root looks like file:///home/me/project.';
  }
}

export class RootsEditor extends LitElement {
  static override properties = {
    roots: { attribute: false },
    error: { state: true },
  };

  declare roots: Root[];
  declare error: string | undefined;

  constructor() {
    super();
    this.roots = [];
  }

  private change(roots: Root[]): void {
    this.dispatchEvent(new CustomEvent<Root[]>('roots-changed', { detail: roots, bubbles: true, composed: true }));
  }

  private add(form: HTMLFormElement): void {
    const data = new FormData(form);
    const uri = String(data.get('uri') ?? '').trim();
    const name = String(data.get('name') ?? '').trim();
    this.error = checkRoot(uri);
    if (this.error) return;
    if (this.roots.some((r) => r.uri === uri)) {
      this.error = 'That root is already in the list.';
      return;
    }
    form.reset();
    this.change([...this.roots, { uri, ...(name ? { name } : {}) }]);
  }

  override render() {
    return html`
      <p class="hint">The server may ask which folders it can work in. It gets exactly this list.</p>
      ${this.roots.length
        ? html`<ul class="roots">
            ${this.roots.map(
              (r) => html`<li>
                <code>${r.uri}</code>${r.name ? html` (${r.name})` : nothing}
                <button @click=${() => this.change(this.roots.filter((x) => x.uri !== r.uri))} aria-label="Remove root ${r.uri}">Remove</button>
              </li>`,
            )}
          </ul>`
        : html`<p class="hint">No roots: the server gets an empty list.</p>`}
      <form
        aria-label="Add a root"
        @submit=${(e: SubmitEvent) => {
          e.preventDefault();
          this.add(e.target as HTMLFormElement);
        }}
      >
        <label for="root-uri">Root URI</label>
        <input id="root-uri" name="uri" placeholder="file:///home/me/project" autocomplete="off" required />
        <label for="root-name">Name (optional)</label>
        <input id="root-name" name="name" autocomplete="off" />
        <button type="submit">Add root</button>
      </form>
      ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : nothing}
    `;
  }

  static override styles = [
    panelStyles,
    css`
      .roots { padding-left: 1.2rem; }
      .roots li { margin: 0.2rem 0; word-break: break-all; }
      form { display: grid; gap: 0.2rem; max-width: 32rem; }
      form button { justify-self: start; margin-top: 0.3rem; }
    `,
  ];
}

customElements.define('roots-editor', RootsEditor);
