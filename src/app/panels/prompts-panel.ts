/**
 * A server's prompts as list and detail: the list of prompts on one side, the chosen prompt's
 * argument form and the messages it returned on the other. What was typed and got for each prompt
 * is kept while the person looks at another. Arguments offer the server's completions when it has
 * the `completions` capability (MCP server/utilities/completion, `ref/prompt`). Arguments typed
 * but not yet got successfully are kept in page storage (drafts-store.ts), so they survive the
 * authorization redirect and a step-up.
 */
import { LitElement, css, html, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import type { ContentBlock, GetPromptResult, Prompt } from '@modelcontextprotocol/client';
import type { McpSession } from '../mcp-session.ts';
import { contextArguments } from '../completion-rules.ts';
import { iconSrc } from '../content/media.ts';
import { clearDraft, draftKey, loadFields, saveFields } from '../drafts-store.ts';
import '../content/content-view.ts';
import { completionInputStyles, type CompletionSource } from './completion-input.ts';
import './completion-input.ts';
import './copy-button.ts';
import type { ItemList, ListItem } from './item-list.ts';
import './item-list.ts';
import { panelStyles } from './panel-styles.ts';

interface Got {
  state: 'running' | 'ok' | 'error';
  result?: GetPromptResult;
  error?: string;
}

export class PromptsPanel extends LitElement {
  static override properties = {
    session: { attribute: false },
    /** Changes when the session's lists do (they change in place), so the panel draws again. */
    version: { attribute: false },
    results: { state: true },
    selected: { state: true },
  };

  declare session: McpSession;
  declare version: number;
  declare results: Record<string, Got>;
  /** The name of the open prompt. */
  declare selected: string | undefined;
  /** Prompt name → argument name → what the person typed (not drawn from: the fields hold it). */
  private readonly typed = new Map<string, Record<string, string>>();

  constructor() {
    super();
    this.results = {};
  }

  /** The open prompt: the chosen one while the server lists it, else the first. */
  private get open(): Prompt | undefined {
    const prompts = this.session.prompts;
    return prompts.find((p) => p.name === this.selected) ?? prompts[0];
  }

  /** What was typed for a prompt: this visit's, or what was kept before the page was left. */
  private values(name: string): Record<string, string> {
    let v = this.typed.get(name);
    if (!v) this.typed.set(name, (v = { ...loadFields(this.session.serverUrl, draftKey('prompt', name)) }));
    return v;
  }

  private async get(name: string): Promise<void> {
    const args: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.values(name))) if (v !== '') args[k] = v;
    this.results = { ...this.results, [name]: { state: 'running' } };
    try {
      this.results = { ...this.results, [name]: { state: 'ok', result: await this.session.getPrompt(name, args) } };
      // Got: what was typed is no longer unsent (the form keeps showing it this visit).
      clearDraft(this.session.serverUrl, draftKey('prompt', name));
    } catch (err) {
      this.results = { ...this.results, [name]: { state: 'error', error: (err as Error).message } };
    }
  }

  /** "Run again" from the history: the prompt opens with those arguments, and is got. */
  async run(name: string, args: Record<string, string>): Promise<void> {
    this.typed.set(name, { ...args });
    await this.choose(name);
    await this.get(name);
  }

  /** The page's "/" shortcut: the list's filter. */
  focusFilter(): void {
    this.renderRoot.querySelector<ItemList>('item-list')?.focusFilter();
  }

  private async choose(name: string): Promise<void> {
    this.selected = name;
    await this.updateComplete;
    // Stacked on a narrow panel, the detail is below the list: bring it into view.
    this.renderRoot.querySelector('.detail')?.scrollIntoView({ block: 'nearest' });
  }

  private completion(p: Prompt, argument: string): CompletionSource | undefined {
    if (!this.session.canComplete) return undefined;
    return (value) =>
      this.session.complete({ type: 'ref/prompt', name: p.name }, { name: argument, value }, contextArguments(this.values(p.name), argument));
  }

  override render() {
    const prompts = this.session.prompts;
    const open = this.open;
    const items: ListItem[] = prompts.map((p) => ({
      key: p.name,
      label: p.title ?? p.name,
      code: p.name,
      ...(p.description ? { description: p.description } : {}),
      icon: iconSrc(p.icons),
    }));
    return html`<div class="split">
      <div class="split-grid">
        <item-list
          .items=${items}
          .selected=${open?.name}
          .label=${'Prompts'}
          @item-open=${(e: CustomEvent<string>) => void this.choose(e.detail)}
        ></item-list>
        ${open ? keyed(open.name, this.renderDetail(open)) : nothing}
      </div>
    </div>`;
  }

  private renderDetail(p: Prompt) {
    const out = this.results[p.name];
    const values = this.values(p.name);
    return html`<section class="detail" data-prompt=${p.name} aria-label="Prompt ${p.name}">
      <h3>${p.title ?? p.name}${p.title && p.title !== p.name ? html` <code>${p.name}</code>` : nothing}</h3>
      ${p.description ? html`<p class="hint">${p.description}</p>` : nothing}
      <form
        aria-label="Arguments for prompt ${p.name}"
        @input=${(e: Event) => {
          const field = e.target as HTMLInputElement;
          if (!field.name) return;
          values[field.name] = field.value;
          saveFields(this.session.serverUrl, draftKey('prompt', p.name), values);
        }}
        @submit=${(e: SubmitEvent) => {
          e.preventDefault();
          void this.get(p.name);
        }}
      >
        ${(p.arguments ?? []).map((a, i) => {
          // Only the open prompt's form is drawn, so a position makes a unique id (a name may hold spaces).
          const id = `prompt-arg-${i}`;
          return html`<span class="label-row"
              ><label for=${id}>${a.name}</label>${a.required ? html`<span class="req" aria-hidden="true">*</span>` : ''}</span
            >
            ${a.description ? html`<span class="hint" id="${id}-hint">${a.description}</span>` : nothing}
            <completion-input
              .inputId=${id}
              .name=${a.name}
              .value=${values[a.name] ?? ''}
              .required=${!!a.required}
              .describedBy=${a.description ? `${id}-hint` : undefined}
              .source=${this.completion(p, a.name)}
            ></completion-input>`;
        })}
        <button type="submit">Get prompt ${p.name}</button>
      </form>
      ${out
        ? html`<div class="result" data-prompt-result=${p.name} data-state=${out.state} aria-live="polite">
            ${out.state === 'running' ? html`<p class="hint">Getting the prompt…</p>` : nothing}
            ${out.error ? html`<p class="error">${out.error}</p>` : nothing}
            ${out.result ? html`<copy-button class="copy" label=${`Copy result of prompt ${p.name}`} .text=${() => JSON.stringify(out.result, null, 2)}>Copy</copy-button>` : nothing}
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
    </section>`;
  }

  static override styles = [
    panelStyles,
    completionInputStyles,
    css`
      h3 code { font-size: 0.8rem; color: var(--muted); font-weight: normal; }
      form { display: grid; gap: 0.2rem; max-width: 32rem; }
      .req { color: var(--err); margin-left: 0.15rem; }
      form button { justify-self: start; margin-top: 0.3rem; }
      .result { background: var(--bg); border-radius: 6px; padding: 0.4rem; min-width: 0; display: grid; gap: 0.3rem; }
      .result .copy { justify-self: end; }
      .messages { padding-left: 1.2rem; margin: 0.3rem 0 0; display: grid; gap: 0.3rem; }
      .messages li { border: none; padding: 0; }
    `,
  ];
}

customElements.define('prompts-panel', PromptsPanel);
