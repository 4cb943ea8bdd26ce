/**
 * A server's resources: the list (read, follow changes), the URI templates (a form of their
 * variables, RFC 6570), and what each read returned.
 */
import { LitElement, css, html, nothing } from 'lit';
import { UriTemplate, type ReadResourceResult } from '@modelcontextprotocol/client';
import type { McpSession } from '../mcp-session.ts';
import '../content/content-view.ts';
import { panelStyles } from './panel-styles.ts';

interface Read {
  state: 'running' | 'ok' | 'error';
  result?: ReadResourceResult;
  error?: string;
}

export class ResourcesPanel extends LitElement {
  static override properties = {
    session: { attribute: false },
    /** Changes when the session's lists do (they change in place), so the panel draws again. */
    version: { attribute: false },
    /** Resource URI → when the server last said it changed (notifications/resources/updated). */
    updates: { attribute: false },
    reads: { state: true },
    busy: { state: true },
  };

  declare session: McpSession;
  declare version: number;
  declare updates: Map<string, number>;
  declare reads: Record<string, Read>;
  /** URI being subscribed or unsubscribed, with the error if that failed. */
  declare busy: { uri: string; error?: string } | undefined;

  constructor() {
    super();
    this.reads = {};
    this.updates = new Map();
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    // A followed resource changed: read it again if the person has it open.
    if (!changed.has('updates')) return;
    const before = changed.get('updates') as Map<string, number> | undefined;
    for (const [uri, at] of this.updates) if (before?.get(uri) !== at && this.reads[uri]) void this.read(uri);
  }

  async read(uri: string): Promise<void> {
    this.reads = { ...this.reads, [uri]: { state: 'running' } };
    try {
      this.reads = { ...this.reads, [uri]: { state: 'ok', result: await this.session.readResource(uri) } };
    } catch (err) {
      this.reads = { ...this.reads, [uri]: { state: 'error', error: (err as Error).message } };
    }
  }

  private async follow(uri: string, on: boolean): Promise<void> {
    this.busy = { uri };
    try {
      await this.session.subscribe(uri, on);
      this.busy = undefined;
    } catch (err) {
      this.busy = { uri, error: `Could not ${on ? 'follow' : 'stop following'} ${uri}: ${(err as Error).message}` };
    }
  }

  private readTemplate(template: string, form: HTMLFormElement): void {
    const vars: Record<string, string> = {};
    for (const [k, v] of new FormData(form)) if (typeof v === 'string') vars[k] = v;
    void this.read(new UriTemplate(template).expand(vars));
  }

  private renderRead(uri: string) {
    const r = this.reads[uri];
    if (!r) return nothing;
    const updated = this.updates.get(uri);
    return html`<div class="result" data-resource-result=${uri} data-state=${r.state} aria-live="polite">
      ${r.state === 'running' ? html`<p class="hint">Reading…</p>` : nothing}
      ${r.error ? html`<p class="error">${r.error}</p>` : nothing}
      ${updated ? html`<p class="hint" data-updated>Changed on the server at ${new Date(updated).toLocaleTimeString()}.</p>` : nothing}
      ${r.result ? html`<mcp-resource-contents .contents=${r.result.contents}></mcp-resource-contents>` : nothing}
    </div>`;
  }

  override render() {
    const s = this.session;
    const canFollow = !!s.capabilities?.resources?.subscribe;
    // Reads of URIs not in the list (from templates or resource links) are shown at the end.
    const listed = new Set(s.resources.map((r) => r.uri));
    const others = Object.keys(this.reads).filter((uri) => !listed.has(uri));
    return html`
      <h3>Resources (${s.resources.length})</h3>
      <ul class="entries">
        ${s.resources.map(
          (r) => html`<li data-resource=${r.uri}>
            <h4>${r.title ?? r.name}</h4>
            <p><code>${r.uri}</code>${r.mimeType ? html` · ${r.mimeType}` : nothing}</p>
            ${r.description ? html`<p class="hint">${r.description}</p>` : nothing}
            <div class="actions">
              <button @click=${() => void this.read(r.uri)}>Read ${r.name}</button>
              ${canFollow
                ? html`<button
                    aria-pressed=${s.subscribed.has(r.uri) ? 'true' : 'false'}
                    ?disabled=${this.busy?.uri === r.uri && !this.busy.error}
                    @click=${() => void this.follow(r.uri, !s.subscribed.has(r.uri))}
                  >
                    ${s.subscribed.has(r.uri) ? `Stop following ${r.name}` : `Follow ${r.name}`}
                  </button>`
                : nothing}
            </div>
            ${this.busy?.uri === r.uri && this.busy.error ? html`<p role="alert" class="error">${this.busy.error}</p>` : nothing}
            ${this.renderRead(r.uri)}
          </li>`,
        )}
      </ul>
      ${s.templates.length
        ? html`<h3>Resource templates (${s.templates.length})</h3>
            <ul class="entries">
              ${s.templates.map((t) => {
                const names = safeVariableNames(t.uriTemplate);
                return html`<li data-template=${t.uriTemplate}>
                  <h4>${t.title ?? t.name}</h4>
                  <p><code>${t.uriTemplate}</code>${t.mimeType ? html` · ${t.mimeType}` : nothing}</p>
                  ${t.description ? html`<p class="hint">${t.description}</p>` : nothing}
                  <form
                    aria-label="Variables for ${t.name}"
                    @submit=${(e: SubmitEvent) => {
                      e.preventDefault();
                      this.readTemplate(t.uriTemplate, e.target as HTMLFormElement);
                    }}
                  >
                    ${names.map(
                      (n) => html`<label for="tpl-${t.name}-${n}">${n}</label>
                        <input id="tpl-${t.name}-${n}" name=${n} autocomplete="off" required />`,
                    )}
                    <button type="submit">Read from ${t.name}</button>
                  </form>
                </li>`;
              })}
            </ul>`
        : nothing}
      ${others.length
        ? html`<h3>Other reads</h3>
            <ul class="entries">
              ${others.map((uri) => html`<li><p><code>${uri}</code></p>${this.renderRead(uri)}</li>`)}
            </ul>`
        : nothing}
    `;
  }

  static override styles = [
    panelStyles,
    css`
      code { word-break: break-all; color: var(--muted); }
      .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; }
      form { display: grid; gap: 0.2rem; max-width: 32rem; }
      form button { justify-self: start; margin-top: 0.3rem; }
      .result { background: var(--bg); border-radius: 6px; padding: 0.4rem; }
    `,
  ];
}

/** A template the SDK cannot parse gets no form, not a broken page. */
function safeVariableNames(template: string): string[] {
  try {
    return new UriTemplate(template).variableNames;
  } catch {
    return [];
  }
}

customElements.define('resources-panel', ResourcesPanel);
