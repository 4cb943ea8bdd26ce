/**
 * A server's call history (history-store.ts), newest first: when, what kind, what was called,
 * how long it took and how it ended, with the arguments in one line. Opening an entry shows the
 * arguments and the result drawn as the live result was (<mcp-content>, <mcp-resource-contents>).
 * Results are server text and stay text. An entry's body is drawn only while it is open: a
 * hundred results at once would stall the page.
 *
 * Events (bubbling, composed): `history-rerun` (detail: the HistoryEntry to call again) and
 * `history-clear` (the person asked to empty the list).
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import type { CallToolResult, ContentBlock, GetPromptResult, ReadResourceResult } from '@modelcontextprotocol/client';
import type { HistoryEntry, HistoryKind } from '../history-store.ts';
import { prettyJson } from '../content/media.ts';
import '../content/content-view.ts';
import './copy-button.ts';
import { panelStyles } from './panel-styles.ts';

const KIND_LABEL: Record<HistoryKind, string> = { tool: 'Tool', resource: 'Resource', prompt: 'Prompt' };

/** The one-line arguments summary is cut here (CSS ellipsis cuts it further to the width). */
const SUMMARY_CHARS = 240;

/** `key: value, …` with values as compact JSON; '' when there are none. */
export function summarizeArgs(args: Record<string, unknown> | undefined): string {
  if (!args) return '';
  const line = Object.entries(args)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v))}`)
    .join(', ');
  return line.length > SUMMARY_CHARS ? `${line.slice(0, SUMMARY_CHARS)}…` : line;
}

/** Local time; the date too when the call was not made today. */
function when(at: number): string {
  const d = new Date(at);
  const today = d.toDateString() === new Date().toDateString();
  return today ? d.toLocaleTimeString(undefined, { hour12: false }) : d.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium', hour12: false });
}

function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

const asObject = (v: unknown): Record<string, unknown> | undefined => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined);

/** A tool result that says isError: the call went through, the tool reports a failure. */
const toolFailed = (e: HistoryEntry): boolean => e.kind === 'tool' && asObject(e.result)?.isError === true;

export class HistoryView extends LitElement {
  static override properties = {
    entries: { attribute: false },
    opened: { state: true },
  };

  declare entries: HistoryEntry[];
  /** The ids of the entries open now (their bodies are drawn). */
  declare opened: ReadonlySet<string>;
  /** The last copy: which entry, and what happened. */

  constructor() {
    super();
    this.entries = [];
    this.opened = new Set();
  }

  private emit(type: 'history-rerun' | 'history-clear', detail?: HistoryEntry): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  private toggled(id: string, open: boolean): void {
    if (open === this.opened.has(id)) return;
    const next = new Set(this.opened);
    if (open) next.add(id);
    else next.delete(id);
    this.opened = next;
  }

  private renderResult(e: HistoryEntry): TemplateResult | typeof nothing {
    if (e.truncated) return html`<p class="hint">The result was larger than 50 KB and was not kept.</p>`;
    const r = asObject(e.result);
    if (!r) return nothing;
    switch (e.kind) {
      case 'tool': {
        const t = r as Partial<CallToolResult>;
        return html`<mcp-content .blocks=${Array.isArray(t.content) ? t.content : []} .structured=${t.structuredContent} .isError=${t.isError === true}></mcp-content>`;
      }
      case 'prompt': {
        const p = r as Partial<GetPromptResult>;
        return html`${typeof p.description === 'string' ? html`<p class="hint">${p.description}</p>` : nothing}
          <ol class="messages">
            ${(Array.isArray(p.messages) ? p.messages : []).map(
              (m) => html`<li data-role=${String(m.role)}>
                <strong>${String(m.role)}</strong>
                <mcp-content .blocks=${(Array.isArray(m.content) ? m.content : [m.content]) as ContentBlock[]}></mcp-content>
              </li>`,
            )}
          </ol>`;
      }
      case 'resource': {
        const contents = (r as Partial<ReadResourceResult>).contents;
        return html`<mcp-resource-contents .contents=${Array.isArray(contents) ? contents : []}></mcp-resource-contents>`;
      }
    }
  }

  private renderBody(e: HistoryEntry): TemplateResult {
    return html`<div class="body">
      <h4>Arguments</h4>
      ${e.argsOmitted
        ? html`<p class="hint">The arguments were larger than 50 KB and were not kept.</p>`
        : e.args && Object.keys(e.args).length
          ? html`<pre class="json">${prettyJson(e.args)}</pre>`
          : html`<p class="hint">None.</p>`}
      <h4>${e.outcome === 'error' ? 'Error' : 'Result'}</h4>
      ${e.error !== undefined ? html`<p class="error">${e.error}</p>` : nothing} ${this.renderResult(e)}
    </div>`;
  }

  private renderEntry(e: HistoryEntry): TemplateResult {
    const open = this.opened.has(e.id);
    const failed = e.outcome === 'error' || toolFailed(e);
    const badge = e.outcome === 'error' ? 'error' : toolFailed(e) ? 'tool error' : 'ok';
    const args = summarizeArgs(e.args);
    const label = `${KIND_LABEL[e.kind].toLowerCase()} ${e.target} at ${when(e.at)}`;
    return html`<li data-history-entry=${e.id} data-kind=${e.kind} data-outcome=${e.outcome}>
      <details ?open=${open} @toggle=${(ev: Event) => this.toggled(e.id, (ev.target as HTMLDetailsElement).open)}>
        <summary>
          <span class="head">
            <time datetime=${new Date(e.at).toISOString()}>${when(e.at)}</time>
            <span class="kind">${KIND_LABEL[e.kind]}</span>
            <strong class="target">${e.target}</strong>
            <span class="badge ${failed ? 'failed' : 'ok'}">${badge}</span>
            <span class="duration">${duration(e.durationMs)}</span>
          </span>
          ${args ? html`<span class="args" title=${args}>${args}</span>` : nothing}
        </summary>
        ${open ? this.renderBody(e) : nothing}
      </details>
      <div class="actions">
        <copy-button label=${`Copy as JSON (${label})`} .text=${() => prettyJson(e)}>Copy as JSON</copy-button>
        ${e.argsOmitted
          ? html`<span class="hint">Too large to run again from here.</span>`
          : html`<button @click=${() => this.emit('history-rerun', e)}>Run again<span class="sr-only"> (${label})</span></button>`}
      </div>
    </li>`;
  }

  override render() {
    const entries = [...this.entries].sort((a, b) => b.at - a.at);
    if (!entries.length) return html`<p class="hint empty">No calls yet. Each tool call, resource read and prompt you make on this server is listed here.</p>`;
    return html`
      <div class="bar">
        <p class="hint">${entries.length} call${entries.length === 1 ? '' : 's'}, newest first.</p>
        <button @click=${() => this.emit('history-clear')}>Clear history</button>
      </div>
      <ol class="history" aria-label="Call history">
        ${entries.map((e) => this.renderEntry(e))}
      </ol>
    `;
  }

  static override styles = [
    panelStyles,
    css`
      .bar { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; justify-content: space-between; }
      .history { list-style: none; padding: 0; margin: 0.5rem 0 0; display: grid; grid-template-columns: minmax(0, 1fr); }
      .history > li { border-top: 1px solid var(--line); padding: 0.4rem 0; min-width: 0; }
      /* A list item (the default), so the disclosure triangle stays; the arguments go on a line of their own. */
      summary { cursor: pointer; min-width: 0; }
      summary::marker { color: var(--muted); }
      .head { display: inline-flex; flex-wrap: wrap; gap: 0.25rem 0.5rem; align-items: baseline; min-width: 0; max-width: calc(100% - 1.2rem); vertical-align: top; }
      time, .duration, .kind { color: var(--muted); font-size: 0.85rem; }
      .target { overflow-wrap: anywhere; min-width: 0; }
      .badge { font-size: 0.8rem; padding: 0 0.45rem; border-radius: 999px; border: 1px solid currentColor; }
      .badge.ok { color: var(--ok); }
      .badge.failed { color: var(--err); }
      .args { display: block; margin: 0.15rem 0 0 1.2rem; font: 0.8rem ui-monospace, monospace; color: var(--muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-width: 0; }
      .body { margin: 0.4rem 0 0; padding: 0.4rem; border-radius: 6px; background: var(--bg); min-width: 0; }
      .body h4 { font-size: 0.85rem; margin: 0.4rem 0 0.2rem; }
      .body h4:first-child { margin-top: 0; }
      .body p { margin: 0.2rem 0; }
      .body .error { font-size: 0.9rem; }
      .json { margin: 0; font: 0.8rem/1.4 ui-monospace, monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
      .messages { padding-left: 1.2rem; margin: 0.3rem 0 0; display: grid; gap: 0.3rem; }
      .actions { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; margin-top: 0.35rem; }
      .actions button, .actions copy-button::part(button) { font-size: 0.85rem; padding: 0.2rem 0.6rem; }
    `,
  ];
}

customElements.define('history-view', HistoryView);
