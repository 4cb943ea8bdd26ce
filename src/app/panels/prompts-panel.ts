/** A server's prompts: a form of each prompt's arguments, and the messages it returned. */
import { LitElement, css, html, nothing } from 'lit';
import type { ContentBlock, GetPromptResult } from '@modelcontextprotocol/client';
import type { McpSession } from '../mcp-session.ts';
import '../content/content-view.ts';
import { panelStyles } from './panel-styles.ts';

export class PromptsPanel extends LitElement {
  static override properties = {
    session: { attribute: false },
    /** Changes when the session's lists do (they change in place), so the panel draws again. */
    version: { attribute: false },
    results: { state: true },
  };

  declare session: McpSession;
  declare version: number;
  declare results: Record<string, { state: 'running' | 'ok' | 'error'; result?: GetPromptResult; error?: string }>;

  constructor() {
    super();
    this.results = {};
  }

  private async get(name: string, form: HTMLFormElement): Promise<void> {
    const args: Record<string, string> = {};
    for (const [k, v] of new FormData(form)) if (typeof v === 'string' && v !== '') args[k] = v;
    this.results = { ...this.results, [name]: { state: 'running' } };
    try {
      this.results = { ...this.results, [name]: { state: 'ok', result: await this.session.getPrompt(name, args) } };
    } catch (err) {
      this.results = { ...this.results, [name]: { state: 'error', error: (err as Error).message } };
    }
  }

  override render() {
    const prompts = this.session.prompts;
    return html`
      <h3>Prompts (${prompts.length})</h3>
      <ul class="entries">
        ${prompts.map((p) => {
          const out = this.results[p.name];
          return html`<li data-prompt=${p.name}>
            <h4>${p.title ?? p.name}</h4>
            ${p.description ? html`<p class="hint">${p.description}</p>` : nothing}
            <form
              aria-label="Arguments for prompt ${p.name}"
              @submit=${(e: SubmitEvent) => {
                e.preventDefault();
                void this.get(p.name, e.target as HTMLFormElement);
              }}
            >
              ${(p.arguments ?? []).map(
                (a) => html`<span class="label-row"
                    ><label for="prompt-${p.name}-${a.name}">${a.name}</label>${a.required ? html`<span class="req" aria-hidden="true">*</span>` : ''}</span
                  >
                  ${a.description ? html`<span class="hint" id="prompt-${p.name}-${a.name}-hint">${a.description}</span>` : nothing}
                  <input
                    id="prompt-${p.name}-${a.name}"
                    name=${a.name}
                    ?required=${!!a.required}
                    aria-describedby=${a.description ? `prompt-${p.name}-${a.name}-hint` : nothing}
                    autocomplete="off"
                  />`,
              )}
              <button type="submit">Get prompt ${p.name}</button>
            </form>
            ${out
              ? html`<div class="result" data-prompt-result=${p.name} data-state=${out.state} aria-live="polite">
                  ${out.state === 'running' ? html`<p class="hint">Getting the prompt…</p>` : nothing}
                  ${out.error ? html`<p class="error">${out.error}</p>` : nothing}
                  ${out.result?.description ? html`<p class="hint">${out.result.description}</p>` : nothing}
                  ${out.result
                    ? html`<ol class="messages">
                        ${out.result.messages.map(
                          (m) => html`<li data-role=${m.role}>
                            <strong>${m.role}</strong>
                            <mcp-content .blocks=${[m.content] as ContentBlock[]}></mcp-content>
                          </li>`,
                        )}
                      </ol>`
                    : nothing}
                </div>`
              : nothing}
          </li>`;
        })}
      </ul>
    `;
  }

  static override styles = [
    panelStyles,
    css`
      form { display: grid; gap: 0.2rem; max-width: 32rem; }
      .req { color: var(--err); margin-left: 0.15rem; }
      form button { justify-self: start; margin-top: 0.3rem; }
      .result { background: var(--bg); border-radius: 6px; padding: 0.4rem; }
      .messages { padding-left: 1.2rem; margin: 0.3rem 0 0; display: grid; gap: 0.3rem; }
      .messages li { border: none; padding: 0; }
    `,
  ];
}

customElements.define('prompts-panel', PromptsPanel);
