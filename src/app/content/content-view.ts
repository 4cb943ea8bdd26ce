/**
 * MCP content as a person sees it: tool results, prompt and sampling messages (<mcp-content>)
 * and resource reads (<mcp-resource-contents>).
 *
 * - Server text stays text: every string goes through a Lit text binding (escaped), never
 *   innerHTML/unsafeHTML/unsafeSVG (the page requires Trusted Types). Markdown is shown as
 *   written, in pre-wrap, not rendered.
 * - Images and audio are drawn only from the server's inline base64, as `data:` URLs of an
 *   allowlisted type and size (media.ts). A URL the server names (a resource link's `uri`, an
 *   icon's `src`) is shown as text or not at all, never loaded: no tracking pixels, no requests
 *   the person did not make.
 * - Anything else binary is offered for download from an object URL of the decoded bytes.
 */
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { ContentBlock, ReadResourceResult } from '@modelcontextprotocol/client';
import { panelStyles } from '../panels/panel-styles.ts';
import '../panels/json-view.ts';
import {
  base64ByteLength,
  decodeBase64,
  describeAnnotations,
  downloadName,
  formatBytes,
  imageDataUrl,
  audioDataUrl,
  mediaType,
  missingRequired,
  prettyJson,
  previewRefusal,
  truncateText,
  type AnnotationsLike,
} from './media.ts';

/** Longer text is cut here until the person asks for all of it (megabytes of text stall the page). */
export const TEXT_SHOWN = 200_000;

type ResourceContents = ReadResourceResult['contents'][number];

/** The key under which the structured content's "Show all" is remembered. */

const contentStyles = css`
  .block { margin: 0.35rem 0; min-width: 0; }
  .text, .schema { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; font: 0.85rem/1.4 ui-monospace, monospace; color: inherit; }
  img { display: block; max-width: 100%; max-height: 70vh; height: auto; border: 1px solid var(--line); border-radius: 4px; background: var(--card); }
  audio { display: block; width: 100%; max-width: 28rem; }
  .meta { color: var(--muted); font-size: 0.8rem; margin: 0.15rem 0; overflow-wrap: anywhere; }
  .title { margin: 0.15rem 0; overflow-wrap: anywhere; }
  .resource { border-left: 3px solid var(--line); padding-left: 0.5rem; }
  code { overflow-wrap: anywhere; word-break: break-word; }
  .is-error { border-left: 3px solid var(--err); padding-left: 0.5rem; color: var(--err); }
  .error-label { display: inline-block; margin: 0 0 0.2rem; padding: 0 0.4rem; border-radius: 4px; border: 1px solid var(--err); color: var(--err); font-weight: 600; font-size: 0.8rem; }
  .warn { color: var(--warn); margin: 0.2rem 0; font-size: 0.85rem; }
  details { margin-top: 0.3rem; }
  summary { cursor: pointer; color: var(--muted); font-size: 0.85rem; }
  details pre { margin: 0.2rem 0; font-size: 0.8rem; }
  .row { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; }
`;

/**
 * Text in a <pre class="text">, cut at TEXT_SHOWN characters with a button to show the rest. The
 * text is drawn in the host's own shadow root (not a nested element), so a reading of the host's
 * text (innerText, find in page, a screen reader's) has all of it.
 */
interface TextHost extends LitElement {
  /** What the person asked to see all of: a block, a resource's contents, the structured value. */
  expanded: Set<unknown>;
}

function longText(host: TextHost, key: unknown, t: string): TemplateResult {
  const { shown, cut } = host.expanded.has(key) ? { shown: t, cut: false } : truncateText(t, TEXT_SHOWN);
  return html`<pre class="text">${shown}</pre>
    ${cut
      ? html`<p class="row meta">
          Showing ${shown.length.toLocaleString()} of ${t.length.toLocaleString()} characters.
          <button
            @click=${() => {
              host.expanded.add(key);
              host.requestUpdate();
            }}
          >
            Show all
          </button>
        </p>`
      : nothing}`;
}

/**
 * A Download button for base64 content. The bytes are decoded on the first click, not before
 * (a large blob costs nothing until asked for), into an object URL that lives as long as the
 * element: it is revoked when the element goes away or its content changes.
 */
export class McpDownload extends LitElement {
  static override properties = {
    uri: { attribute: false },
    mimeType: { attribute: false },
    data: { attribute: false },
    error: { state: true },
    url: { state: true },
  };
  declare uri: string;
  declare mimeType: string | undefined;
  declare data: string;
  declare error: string | undefined;
  declare url: string | undefined;

  constructor() {
    super();
    this.uri = '';
    this.data = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('data') || changed.has('mimeType') || changed.has('uri')) {
      this.revoke();
      this.error = undefined;
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.revoke();
  }

  private revoke(): void {
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = undefined;
  }

  private async save(): Promise<void> {
    if (!this.url) {
      try {
        // Always application/octet-stream: were `download` ever ignored, a blob of our origin
        // must not open as a document (text/html, image/svg+xml) instead of being saved.
        this.url = URL.createObjectURL(new Blob([decodeBase64(this.data) as BlobPart], { type: 'application/octet-stream' }));
      } catch (err) {
        this.error = (err as Error).message;
        return;
      }
      await this.updateComplete;
    }
    this.renderRoot.querySelector('a')?.click();
  }

  override render() {
    const name = downloadName(this.uri, this.mimeType);
    return html`<button @click=${() => void this.save()}>Download ${name}</button>
      <a hidden tabindex="-1" aria-hidden="true" download=${name} href=${this.url ?? nothing}></a>
      ${this.error ? html`<p class="error">${this.error}</p>` : nothing}`;
  }

  static override styles = [panelStyles, css`:host { display: inline-block; } button { font-size: 0.85rem; }`];
}
customElements.define('mcp-download', McpDownload);

function notes(annotations: unknown): TemplateResult | typeof nothing {
  const said = describeAnnotations(annotations as AnnotationsLike | undefined);
  return said ? html`<p class="meta annotations">${said}</p>` : nothing;
}

/**
 * An image or audio preview, or why there is none. The caller decides whether a refused preview
 * gets a Download button of its own.
 */
function preview(kind: 'image' | 'audio', mime: string, data: string, alt: string): { view: TemplateResult; refused: boolean } {
  const refusal = previewRefusal(kind, mime, data);
  if (refusal) return { view: html`<p class="meta">${refusal}</p>`, refused: true };
  if (kind === 'image') {
    return { view: html`<img src=${imageDataUrl(mime, data)!} alt=${alt} decoding="async" />`, refused: false };
  }
  return { view: html`<audio controls preload="metadata" src=${audioDataUrl(mime, data)!} aria-label=${alt}></audio>`, refused: false };
}

/** An image or audio content block: the preview, its type and size, or a download when not shown. */
function mediaBlock(kind: 'image' | 'audio', mime: unknown, data: unknown): TemplateResult {
  const type = typeof mime === 'string' ? mime : '';
  const b64 = typeof data === 'string' ? data : '';
  const label = `${kind === 'image' ? 'Image' : 'Audio'} from the server (${mediaType(type) || 'no type given'})`;
  const { view, refused } = preview(kind, type, b64, label);
  return html`${view}
    <p class="meta">${mediaType(type) || 'no type given'} · ${formatBytes(base64ByteLength(b64))}</p>
    ${refused ? html`<mcp-download .uri=${kind} .mimeType=${type} .data=${b64}></mcp-download>` : nothing}`;
}

/**
 * One resource's contents (a read result, or a resource embedded in a tool result): its URI and
 * type as text, then text as text; a blob as an image or audio preview when allowed, always with
 * its size and a Download button.
 */
function resourceContents(host: TextHost, c: ResourceContents): TemplateResult {
  const uri = typeof c.uri === 'string' ? c.uri : '';
  const mime = typeof c.mimeType === 'string' ? c.mimeType : undefined;
  const head = html`<p class="meta"><code>${uri}</code>${mime ? ` · ${mime}` : nothing}</p>`;
  if ('text' in c && typeof c.text === 'string') {
    return html`<div class="resource" data-content="text">${head}${longText(host, c, c.text)}</div>`;
  }
  const blob = 'blob' in c && typeof c.blob === 'string' ? c.blob : '';
  // Any image/ or audio/ type gets a preview or a word on why not; the rest, only the download.
  const type = mediaType(mime);
  const kind = type.startsWith('image/') ? 'image' : type.startsWith('audio/') ? 'audio' : undefined;
  const shown = kind ? preview(kind, mime ?? '', blob, `${kind === 'image' ? 'Image' : 'Audio'} ${uri} from the server (${type})`).view : nothing;
  return html`<div class="resource" data-content="blob">
    ${head} ${shown}
    <p class="row meta">
      ${formatBytes(base64ByteLength(blob))} of binary content.
      <mcp-download .uri=${uri} .mimeType=${mime} .data=${blob}></mcp-download>
    </p>
  </div>`;
}

export class McpContent extends LitElement {
  static override properties = {
    blocks: { attribute: false },
    structured: { attribute: false },
    outputSchema: { attribute: false },
    isError: { attribute: false },
  };

  declare blocks: ContentBlock[];
  /** CallToolResult.structuredContent */
  declare structured?: unknown;
  /** Tool.outputSchema, shown beside the structured content. */
  declare outputSchema?: Record<string, unknown>;
  /** CallToolResult.isError: the content is the tool's account of its failure. */
  declare isError?: boolean;
  readonly expanded = new Set<unknown>();

  constructor() {
    super();
    this.blocks = [];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('blocks') || changed.has('structured')) this.expanded.clear();
  }

  private readResource(uri: string): void {
    this.dispatchEvent(new CustomEvent('read-resource', { detail: { uri }, bubbles: true, composed: true }));
  }

  private block(b: ContentBlock): TemplateResult {
    if (typeof b !== 'object' || b === null) return html`<div class="block" data-kind="other">${longText(this, b, prettyJson(b))}</div>`;
    const said = notes((b as { annotations?: unknown }).annotations);
    switch (b.type) {
      case 'text':
        return html`<div class="block" data-kind="text">${longText(this, b, typeof b.text === 'string' ? b.text : prettyJson(b.text))}${said}</div>`;
      case 'image':
      case 'audio':
        return html`<div class="block" data-kind=${b.type}>${mediaBlock(b.type, b.mimeType, b.data)}${said}</div>`;
      case 'resource':
        return html`<div class="block" data-kind="resource">${resourceContents(this, b.resource)}${said}</div>`;
      case 'resource_link': {
        // The link's icons are URLs the server names: not loaded (see the file's comment).
        const name = typeof b.name === 'string' ? b.name : '';
        return html`<div class="block resource" data-kind="resource_link">
          <p class="title"><strong>${b.title || name}</strong>${b.title && b.title !== name ? html` <span class="meta">(${name})</span>` : nothing}</p>
          <p class="meta">
            <code>${b.uri}</code>${b.mimeType ? ` · ${b.mimeType}` : nothing}${typeof b.size === 'number' ? ` · ${formatBytes(b.size)}` : nothing}
          </p>
          ${b.description ? html`<p class="meta">${b.description}</p>` : nothing}
          <button @click=${() => this.readResource(b.uri)}>Read ${name || b.uri}</button>
          ${said}
        </div>`;
      }
      default: {
        // A content type this page does not know (a newer revision, a sampling tool_use): its JSON, as text.
        const type = String((b as { type?: unknown }).type);
        return html`<div class="block" data-kind="other">
          <p class="meta">Content of type ${type}</p>
          ${longText(this, b, prettyJson(b))}
        </div>`;
      }
    }
  }

  private renderStructured(): TemplateResult | typeof nothing {
    if (this.structured === undefined) {
      return this.outputSchema && !this.isError
        ? html`<p class="warn">The tool declares a schema for its output but returned no structured content.</p>`
        : nothing;
    }
    const missing = missingRequired(this.outputSchema, this.structured);
    return html`<div class="block" data-kind="structured">
      <p class="meta">Structured content</p>
      <json-view .value=${this.structured} label="structured content"></json-view>
      ${missing.length
        ? html`<p class="warn">⚠ Missing members the schema requires: ${missing.join(', ')}.</p>`
        : nothing}
      ${this.outputSchema
        ? html`<details>
            <summary>Output schema</summary>
            <json-view class="schema" .value=${this.outputSchema} label="output schema"></json-view>
          </details>`
        : nothing}
    </div>`;
  }

  override render() {
    const blocks = Array.isArray(this.blocks) ? this.blocks : [];
    return html`<div class=${this.isError ? 'is-error' : ''}>
      ${this.isError ? html`<p class="error-label">Error</p>` : nothing}
      ${blocks.map((b) => this.block(b))} ${this.renderStructured()}
      ${!blocks.length && this.structured === undefined ? html`<p class="meta">No content.</p>` : nothing}
    </div>`;
  }

  static override styles = [panelStyles, contentStyles];
}
customElements.define('mcp-content', McpContent);

export class McpResourceContents extends LitElement {
  static override properties = { contents: { attribute: false } };
  declare contents: ReadResourceResult['contents'];
  readonly expanded = new Set<unknown>();

  constructor() {
    super();
    this.contents = [];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('contents')) this.expanded.clear();
  }

  override render() {
    const contents = Array.isArray(this.contents) ? this.contents : [];
    return contents.length
      ? contents.map((c) => html`<div class="block" data-kind="resource">${resourceContents(this, c)}</div>`)
      : html`<p class="meta">The resource is empty.</p>`;
  }

  static override styles = [panelStyles, contentStyles];
}
customElements.define('mcp-resource-contents', McpResourceContents);
