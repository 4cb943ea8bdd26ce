/**
 * A server's resources as list and detail: one list of its resources and URI templates (RFC 6570),
 * and beside it the chosen one: a resource to read and follow, with what the read returned, or a
 * template's variables (with the server's completions, MCP `ref/resource`) and what reading the
 * expanded URI returned. A resource link from a tool result opens here too, listed or not.
 * Template variables typed but not yet read successfully are kept in page storage
 * (drafts-store.ts), so they survive the authorization redirect and a step-up.
 */
import { LitElement, css, html, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { UriTemplate, type ReadResourceResult, type Resource, type ResourceTemplateType } from '@modelcontextprotocol/client';
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
import { isAppResource } from '../apps/app-tools.ts';
import { withAppView } from '../apps/app-view-loader.ts';

interface Read {
  state: 'running' | 'ok' | 'error';
  result?: ReadResourceResult;
  error?: string;
}

/** The open entry: a resource (by URI, listed or only linked) or a template. */
type Chosen = { kind: 'resource'; uri: string } | { kind: 'template'; template: string };

export class ResourcesPanel extends LitElement {
  static override properties = {
    session: { attribute: false },
    /** Changes when the session's lists do (they change in place), so the panel draws again. */
    version: { attribute: false },
    /** Resource URI → when the server last said it changed (notifications/resources/updated). */
    updates: { attribute: false },
    reads: { state: true },
    busy: { state: true },
    chosen: { state: true },
    templateReads: { state: true },
    appOpen: { state: true },
  };

  declare session: McpSession;
  declare version: number;
  declare updates: Map<string, number>;
  declare reads: Record<string, Read>;
  /** URI being subscribed or unsubscribed, with the error if that failed. */
  declare busy: { uri: string; error?: string } | undefined;
  declare chosen: Chosen | undefined;
  /** Template → the URI its form last read (shown under the form). */
  declare templateReads: Record<string, string>;
  /** The `ui://` resource whose MCP App is open alone. */
  declare appOpen: string | undefined;
  /** Template → variable → what the person typed. */
  private readonly typed = new Map<string, Record<string, string>>();

  constructor() {
    super();
    this.reads = {};
    this.templateReads = {};
    this.updates = new Map();
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    // A followed resource changed: read it again if the person has read it.
    if (!changed.has('updates')) return;
    const before = changed.get('updates') as Map<string, number> | undefined;
    // Not the person's call: it stays out of the history.
    for (const [uri, at] of this.updates) if (before?.get(uri) !== at && this.reads[uri]) void this.fetch(uri, { record: false });
  }

  /** Opens the resource at `uri` (listed or not, e.g. a resource link in a tool result) and reads it. */
  async read(uri: string): Promise<void> {
    this.chosen = { kind: 'resource', uri };
    await this.fetch(uri);
  }

  private async fetch(uri: string, options: { record?: boolean } = {}): Promise<void> {
    this.reads = { ...this.reads, [uri]: { state: 'running' } };
    try {
      this.reads = { ...this.reads, [uri]: { state: 'ok', result: await this.session.readResource(uri, options) } };
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

  /** What was typed for a template: this visit's, or what was kept before the page was left. */
  private values(template: string): Record<string, string> {
    let v = this.typed.get(template);
    if (!v) this.typed.set(template, (v = { ...loadFields(this.session.serverUrl, draftKey('template', template)) }));
    return v;
  }

  private async readTemplate(template: string): Promise<void> {
    const uri = new UriTemplate(template).expand(this.values(template));
    this.templateReads = { ...this.templateReads, [template]: uri };
    await this.fetch(uri);
    // Read: what was typed is no longer unsent (the form keeps showing it this visit).
    if (this.reads[uri]?.state === 'ok') clearDraft(this.session.serverUrl, draftKey('template', template));
  }

  /** The open entry: the chosen one while it exists, else the first resource or template. */
  private get open(): { resource: Resource } | { template: ResourceTemplateType } | { linked: string } | undefined {
    const s = this.session;
    const c = this.chosen;
    if (c?.kind === 'resource') {
      const resource = s.resources.find((r) => r.uri === c.uri);
      // A linked URI that is not listed still opens: the person asked for it.
      return resource ? { resource } : { linked: c.uri };
    }
    if (c?.kind === 'template') {
      const template = s.templates.find((t) => t.uriTemplate === c.template);
      if (template) return { template };
    }
    if (s.resources[0]) return { resource: s.resources[0] };
    if (s.templates[0]) return { template: s.templates[0] };
    return undefined;
  }

  private async choose(key: string): Promise<void> {
    const s = this.session;
    this.chosen = s.resources.some((r) => r.uri === key) ? { kind: 'resource', uri: key } : { kind: 'template', template: key };
    await this.updateComplete;
    // Stacked on a narrow panel, the detail is below the list: bring it into view.
    this.renderRoot.querySelector('.detail')?.scrollIntoView({ block: 'nearest' });
  }

  private completion(template: string, variable: string): CompletionSource | undefined {
    if (!this.session.canComplete) return undefined;
    return (value) =>
      this.session.complete({ type: 'ref/resource', uri: template }, { name: variable, value }, contextArguments(this.values(template), variable));
  }

  override render() {
    const s = this.session;
    const open = this.open;
    // Resources and templates share one list; a URI holds no braces, so keys do not collide in practice.
    const items: ListItem[] = [
      ...s.resources.map((r) => ({
        key: r.uri,
        label: r.title ?? r.name,
        code: r.uri,
        ...(r.description ? { description: r.description } : {}),
        icon: iconSrc(r.icons),
      })),
      ...s.templates.map((t) => ({
        key: t.uriTemplate,
        label: t.title ?? t.name,
        code: t.uriTemplate,
        ...(t.description ? { description: t.description } : {}),
        icon: iconSrc(t.icons),
        badges: ['template'],
      })),
    ];
    const selected = open ? ('resource' in open ? open.resource.uri : 'template' in open ? open.template.uriTemplate : undefined) : undefined;
    return html`<div class="split">
      <div class="split-grid">
        <item-list
          .items=${items}
          .selected=${selected}
          .label=${'Resources'}
          @item-open=${(e: CustomEvent<string>) => void this.choose(e.detail)}
        ></item-list>
        ${open
          ? 'resource' in open
            ? keyed(`r:${open.resource.uri}`, this.renderResource(open.resource))
            : 'template' in open
              ? keyed(`t:${open.template.uriTemplate}`, this.renderTemplate(open.template))
              : keyed(`l:${open.linked}`, this.renderLinked(open.linked))
          : nothing}
      </div>
    </div>`;
  }

  private renderResource(r: Resource) {
    const s = this.session;
    const canFollow = !!s.capabilities?.resources?.subscribe;
    return html`<section class="detail" data-resource=${r.uri} aria-label="Resource ${r.name}">
      <h3>${r.title ?? r.name}</h3>
      <p class="meta"><code>${r.uri}</code>${r.mimeType ? html` · ${r.mimeType}` : nothing}</p>
      ${r.description ? html`<p class="hint">${r.description}</p>` : nothing}
      <div class="actions">
        <button @click=${() => void this.fetch(r.uri)}>Read ${r.name}</button>
        ${isAppResource(r.uri, r.mimeType) ? html`<button @click=${() => (this.appOpen = r.uri)}>Open app ${r.name}</button>` : nothing}
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
      ${this.appOpen === r.uri ? withAppView(html`<mcp-app-view .session=${s} .resourceUri=${r.uri}></mcp-app-view>`) : nothing}
      ${this.renderRead(r.uri)}
    </section>`;
  }

  private renderLinked(uri: string) {
    return html`<section class="detail" data-resource=${uri} aria-label="Linked resource">
      <h3>Linked resource</h3>
      <p class="meta"><code>${uri}</code></p>
      <p class="hint">A tool result linked this resource; the server does not list it.</p>
      <div class="actions"><button @click=${() => void this.fetch(uri)}>Read again</button></div>
      ${this.renderRead(uri)}
    </section>`;
  }

  private renderTemplate(t: ResourceTemplateType) {
    const names = safeVariableNames(t.uriTemplate);
    const values = this.values(t.uriTemplate);
    const last = this.templateReads[t.uriTemplate];
    return html`<section class="detail" data-template=${t.uriTemplate} aria-label="Template ${t.name}">
      <h3>${t.title ?? t.name}</h3>
      <p class="meta"><code>${t.uriTemplate}</code>${t.mimeType ? html` · ${t.mimeType}` : nothing}</p>
      ${t.description ? html`<p class="hint">${t.description}</p>` : nothing}
      ${names.length || !t.uriTemplate.includes('{')
        ? html`<form
            aria-label="Variables for ${t.name}"
            @input=${(e: Event) => {
              const field = e.target as HTMLInputElement;
              if (!field.name) return;
              values[field.name] = field.value;
              saveFields(this.session.serverUrl, draftKey('template', t.uriTemplate), values);
            }}
            @submit=${(e: SubmitEvent) => {
              e.preventDefault();
              void this.readTemplate(t.uriTemplate);
            }}
          >
            ${names.map((n, i) => {
              // Only the open template's form is drawn, so a position makes a unique id.
              const id = `tpl-var-${i}`;
              return html`<label for=${id}>${n}</label>
                <completion-input
                  .inputId=${id}
                  .name=${n}
                  .value=${values[n] ?? ''}
                  .required=${true}
                  .source=${this.completion(t.uriTemplate, n)}
                ></completion-input>`;
            })}
            <button type="submit">Read from ${t.name}</button>
          </form>`
        : html`<p class="hint">Keyhole cannot read this template’s variables.</p>`}
      ${last ? html`<p class="hint">Read <code>${last}</code></p>${this.renderRead(last)}` : nothing}
    </section>`;
  }

  /** The page's "/" shortcut: the list's filter. */
  focusFilter(): void {
    this.renderRoot.querySelector<ItemList>('item-list')?.focusFilter();
  }

  private renderRead(uri: string) {
    const r = this.reads[uri];
    if (!r) return nothing;
    const updated = this.updates.get(uri);
    return html`<div class="result" data-resource-result=${uri} data-state=${r.state} aria-live="polite">
      ${r.state === 'running' ? html`<p class="hint">Reading…</p>` : nothing}
      ${r.error ? html`<p class="error">${r.error}</p>` : nothing}
      ${updated ? html`<p class="hint" data-updated>Changed on the server at ${new Date(updated).toLocaleTimeString()}.</p>` : nothing}
      ${r.result
        ? html`<copy-button class="copy" label=${`Copy contents of ${uri}`} .text=${() => JSON.stringify(r.result, null, 2)}>Copy</copy-button>
            <mcp-resource-contents .contents=${r.result.contents}></mcp-resource-contents>`
        : nothing}
    </div>`;
  }

  static override styles = [
    panelStyles,
    completionInputStyles,
    css`
      .detail p { margin: 0; }
      code { word-break: break-all; color: var(--muted); }
      .meta { font-size: 0.85rem; color: var(--muted); }
      .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; }
      form { display: grid; gap: 0.2rem; max-width: 32rem; }
      form button { justify-self: start; margin-top: 0.3rem; }
      .result { background: var(--bg); border-radius: 6px; padding: 0.4rem; min-width: 0; display: grid; gap: 0.3rem; }
      .result .copy { justify-self: end; }
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
