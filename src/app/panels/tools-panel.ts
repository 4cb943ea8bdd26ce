/**
 * A server's tools as list and detail: a filterable list (name, title, one line of description,
 * the server's annotation hints, icon) beside the chosen tool: its description, its form (or
 * JSON), Call, and its result. Only the chosen tool's form is drawn.
 *
 * The card owns the calls (they outlive this panel: a call waiting for a step-up authorization
 * survives the tabs going away); this panel asks for them with `call-tool` and `cancel-tool`.
 * What the person typed is kept per tool in `drafts`, so switching tools, the authorization
 * redirect and a step-up do not lose it.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/client';
import { iconSrc } from '../content/media.ts';
import type { ExcludedTool } from '../excluded-tools.ts';
import type { SchemaForm } from '../schema-form/schema-form.ts';
import '../schema-form/schema-form.ts';
import '../content/content-view.ts';
import type { ItemList, ListItem } from './item-list.ts';
import './item-list.ts';
import './copy-button.ts';
import { panelStyles } from './panel-styles.ts';
import type { McpSession } from '../mcp-session.ts';
import { appResourceOf, isAppOnly } from '../apps/app-tools.ts';
import { withAppView } from '../apps/app-view-loader.ts';

export interface ToolOutput {
  state: 'running' | 'ok' | 'error';
  /** What is shown while running, or the failure. */
  text: string;
  result?: CallToolResult;
  /** Present while the call runs: cancels it (closes its stream, MCP H17). */
  abort?: AbortController;
  /** 0..1 when the server reports progress with a total. */
  fraction?: number;
  /** The arguments of the call that gave `result` (an MCP App receives them). */
  args?: Record<string, unknown>;
}

/** What the person typed in a tool's form: the form's value, or the JSON text in JSON mode. */
export type ToolDraft = { value: unknown } | { json: string };

export interface ToolCallRequest {
  name: string;
  args: Record<string, unknown>;
}

/** MCP tool annotations are hints from the server, shown as such (not trusted for safety). */
export function annotationHints(t: Tool): string[] {
  const a = t.annotations;
  if (!a) return [];
  return [
    a.readOnlyHint ? 'read-only' : undefined,
    a.destructiveHint === true ? 'destructive' : undefined,
    a.idempotentHint ? 'idempotent' : undefined,
    a.openWorldHint ? 'open world' : undefined,
  ].filter((h): h is string => !!h);
}

export class ToolsPanel extends LitElement {
  static override properties = {
    tools: { attribute: false },
    excluded: { attribute: false },
    outputs: { attribute: false },
    drafts: { attribute: false },
    selected: { attribute: false },
    session: { attribute: false },
  };

  declare tools: Tool[];
  /** Tools the server listed but that are left out (an invalid `x-mcp-header`, SEP-2243). */
  declare excluded: ExcludedTool[];
  declare outputs: Record<string, ToolOutput>;
  /** Unsent input by tool name (the card keeps it in page storage). */
  declare drafts: Map<string, ToolDraft>;
  /** The open tool's name. */
  declare selected: string | undefined;
  /** The card's session: a tool's MCP App reads its resource and calls tools through it. */
  declare session: McpSession | undefined;

  constructor() {
    super();
    this.tools = [];
    this.excluded = [];
    this.outputs = {};
    this.drafts = new Map();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // One tool is always open when there is one: the first, or the one the person chose.
    if ((changed.has('tools') || changed.has('selected')) && !this.tools.some((t) => t.name === this.selected)) {
      this.selected = this.tools[0]?.name;
    }
  }

  /** The form element a JSON draft was put back into (each tool's form is a new element). */
  private restored: SchemaForm | undefined;

  protected override updated(): void {
    // JSON typed by hand is put back once, after the new form has set itself up from the schema.
    const form = this.form();
    const draft = this.selected === undefined ? undefined : this.drafts.get(this.selected);
    if (!form || form === this.restored) return;
    this.restored = form;
    if (draft && 'json' in draft) {
      void form.updateComplete.then(() => {
        form.mode = 'json';
        form.jsonText = draft.json;
      });
    }
  }

  /** Opens a tool (the card: a call to run again, a result to bring into view). */
  open(name: string): void {
    this.selected = name;
    this.dispatchEvent(new CustomEvent<string>('tool-open', { detail: name, bubbles: true, composed: true }));
  }

  /** The shortcut to the filter. */
  focusFilter(): void {
    this.renderRoot.querySelector<ItemList>('item-list')?.focusFilter();
  }

  /** Brings the open tool's result into view (after the person answered a question for it). */
  async showResult(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector('output')?.scrollIntoView({ block: 'nearest' });
  }

  private form(): SchemaForm | null {
    return this.renderRoot.querySelector<SchemaForm>('schema-form');
  }

  /** Reads the open tool's form (or its JSON) and asks the card to call it; a form with errors shows them. */
  private submit(tool: Tool): void {
    if (this.outputs[tool.name]?.state === 'running') return;
    const read = this.form()?.read() ?? { ok: true as const, value: {} };
    if (!read.ok) return;
    const args = read.value;
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      this.dispatchEvent(new CustomEvent('tool-invalid', { detail: tool.name, bubbles: true, composed: true }));
      return;
    }
    this.dispatchEvent(new CustomEvent<ToolCallRequest>('call-tool', { detail: { name: tool.name, args: args as Record<string, unknown> }, bubbles: true, composed: true }));
  }

  /** Keeps what was typed, once the form has taken the keystroke. */
  private saveDraft(name: string): void {
    void this.updateComplete.then(() => {
      const form = this.form();
      if (!form) return;
      const draft: ToolDraft = form.mode === 'json' ? { json: form.jsonText } : { value: form.value };
      this.dispatchEvent(new CustomEvent<{ name: string; draft: ToolDraft }>('tool-draft', { detail: { name, draft }, bubbles: true, composed: true }));
    });
  }

  /** Enter in a one-line field, or Ctrl/Cmd+Enter anywhere in the form, calls the tool. */
  private onFormKey(e: KeyboardEvent, tool: Tool): void {
    if (e.key !== 'Enter' || e.isComposing) return;
    const target = e.composedPath()[0] as HTMLElement;
    const oneLine = target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'file'].includes(target.type);
    if (!(e.ctrlKey || e.metaKey) && !oneLine) return;
    e.preventDefault();
    this.submit(tool);
  }

  override render() {
    const items: ListItem[] = this.tools.map((t) => ({
      key: t.name,
      label: t.title ?? t.name,
      code: t.name,
      ...(t.description ? { description: t.description.split('\n')[0]! } : {}),
      badges: isAppOnly(t) ? ['app only', ...annotationHints(t)] : annotationHints(t),
      icon: iconSrc(t.icons),
    }));
    const tool = this.tools.find((t) => t.name === this.selected);
    return html`${this.renderExcluded()}<div class="split">
      <div class="split-grid">
        <item-list .items=${items} .selected=${this.selected} .label=${'Tools'} @item-open=${(e: CustomEvent<string>) => this.open(e.detail)}></item-list>
        ${tool ? keyed(tool.name, this.renderDetail(tool)) : html`<p class="hint">This server offers no tools.</p>`}
      </div>
    </div>`;
  }

  /** Says which listed tools cannot be called, and why: the person would otherwise look for them. */
  private renderExcluded() {
    const excluded = this.excluded ?? [];
    if (!excluded.length) return nothing;
    return html`<div class="excluded" role="note" data-excluded-tools>
      <p>
        ${excluded.length === 1 ? 'One tool the server listed is' : `${excluded.length} tools the server listed are`} left out: the
        <code>x-mcp-header</code> annotation is invalid, so a call could not carry its parameters as headers (MCP 2026-07-28).
      </p>
      <ul>
        ${excluded.map((t) => html`<li data-excluded-tool=${t.name}><code>${t.name}</code>: ${t.reason}</li>`)}
      </ul>
    </div>`;
  }

  private renderDetail(t: Tool) {
    const out = this.outputs[t.name];
    const running = out?.state === 'running';
    const draft = this.drafts.get(t.name);
    const hints = annotationHints(t);
    // MCP Apps (SEP-1865 "Visibility"): a tool without "model" in its visibility is called by its app only.
    const appOnly = isAppOnly(t);
    const app = appResourceOf(t);
    return html`<section class="detail" data-tool=${t.name} aria-label="Tool ${t.name}">
      <h3>${t.title ?? t.name}${t.title ? html` <code>${t.name}</code>` : nothing}</h3>
      ${t.description ? html`<p class="description">${t.description}</p>` : nothing}
      ${appOnly ? html`<p class="hint" data-app-only>The server made this tool callable from its app only.</p>` : nothing}
      ${hints.length ? html`<p class="hints" aria-label="Hints from the server">${hints.map((h) => html`<span class="hint-tag">${h}</span>`)}</p>` : nothing}
      <details class="schema">
        <summary>Input schema of ${t.name}</summary>
        <pre tabindex="0" data-input-schema>${JSON.stringify(t.inputSchema, null, 2)}</pre>
      </details>
      <div
        class="form"
        @keydown=${(e: KeyboardEvent) => this.onFormKey(e, t)}
        @input=${() => this.saveDraft(t.name)}
        @change=${() => this.saveDraft(t.name)}
        @click=${() => this.saveDraft(t.name)}
      >
        <schema-form
          .schema=${t.inputSchema}
          .label=${`Arguments for ${t.name}`}
          .value=${draft && 'value' in draft ? draft.value : undefined}
        ></schema-form>
      </div>
      <div class="call-row">
        <button class="primary call" ?disabled=${running || appOnly} aria-keyshortcuts="Control+Enter" @click=${() => this.submit(t)}>Call ${t.name}</button>
        ${out?.abort && running ? html`<button @click=${() => this.dispatchEvent(new CustomEvent('cancel-tool', { detail: t.name, bubbles: true, composed: true }))}>Cancel ${t.name}</button>` : nothing}
        <span class="hint">Enter in a field, or Ctrl+Enter, calls it.</span>
        ${out?.result ? html`<copy-button class="copy" label=${`Copy result of ${t.name}`} .text=${() => JSON.stringify(out.result, null, 2)}>Copy</copy-button>` : nothing}
      </div>
      ${out
        ? html`<output data-tool-result=${t.name} data-state=${out.state} aria-live="polite"
            >${out.result
              ? html`<mcp-content .blocks=${out.result.content ?? []} .structured=${out.result.structuredContent} .outputSchema=${t.outputSchema} .isError=${!!out.result.isError}></mcp-content>`
              : html`<span class="text">${out.text}</span>`}</output
          >${out.fraction !== undefined && running ? html`<progress max="1" .value=${out.fraction} aria-label="Progress of ${t.name}"></progress>` : nothing}`
        : nothing}
      ${app && out?.result && this.session
        ? withAppView(html`<mcp-app-view .session=${this.session} .resourceUri=${app} .tool=${t} .input=${out.args ?? {}} .result=${out.result}></mcp-app-view>`)
        : nothing}
    </section>`;
  }

  static override styles = [
    panelStyles,
    css`
      h3 code { font-size: 0.8rem; color: var(--muted); font-weight: normal; }
      .description { margin: 0; color: var(--muted); font-size: 0.9rem; white-space: pre-line; }
      .hints { display: flex; flex-wrap: wrap; gap: 0.3rem; margin: 0; }
      .hint-tag { font-size: 0.75rem; border: 1px solid var(--line); border-radius: 999px; padding: 0 0.4rem; }
      .schema pre { font-size: 0.8rem; background: var(--bg); padding: 0.4rem; border-radius: 6px; max-height: 20rem; overflow: auto; margin: 0.3rem 0 0; }
      .schema summary { font-size: 0.85rem; color: var(--muted); cursor: pointer; }
      .call-row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
      .call-row .hint { margin: 0; font-size: 0.8rem; }
      .call-row .copy { margin-left: auto; }
      /* The result box holds rendered content; only the plain status text keeps its line breaks. */
      output { display: block; background: var(--bg); border-radius: 6px; padding: 0.5rem; border: 1px solid var(--line); }
      output .text { white-space: pre-wrap; font: 0.85rem ui-monospace, monospace; }
      output[data-state='error'] { border-color: var(--err); }
      output[data-state='error'] .text { color: var(--err); }
      progress { width: 100%; }
      .excluded { border: 1px solid var(--line); border-left: 4px solid var(--warn); border-radius: 6px; padding: 0.4rem 0.6rem; margin-bottom: 0.5rem; font-size: 0.85rem; }
      .excluded p, .excluded ul { margin: 0; }
      .excluded ul { padding-left: 1.2rem; overflow-wrap: anywhere; }
    `,
  ];
}

customElements.define('tools-panel', ToolsPanel);
