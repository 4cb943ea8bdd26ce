/**
 * A request from the server that a person answers: MCP elicitation (form mode: a form generated
 * from the requested schema; URL mode: the full URL shown, opened only if the person agrees)
 * and sampling (the person reads the messages and writes the answer a model would have given).
 */
import { LitElement, css, html, nothing } from 'lit';
import type { ContentBlock, CreateMessageRequest, CreateMessageResult, ElicitRequest, ElicitResult } from '@modelcontextprotocol/client';
import { checkEndpointUrl } from '../../sw/rules/urls.ts';
import type { SchemaForm } from '../schema-form/schema-form.ts';
import '../schema-form/schema-form.ts';
import '../content/content-view.ts';
import { panelStyles } from './panel-styles.ts';

export type Ask =
  | { id: number; kind: 'elicit'; params: ElicitRequest['params']; answer(result: ElicitResult): void }
  | { id: number; kind: 'sample'; params: CreateMessageRequest['params']; answer(result: CreateMessageResult | Error): void };

/** The model name a person's answer to a sampling request carries. */
export const PERSON_MODEL = 'keyhole-person';

export class AskView extends LitElement {
  static override properties = {
    ask: { attribute: false },
    serverUrl: { attribute: false },
    origin: { attribute: false },
    error: { state: true },
  };

  declare ask: Ask;
  declare serverUrl: string;
  /** The person's calls that were running when the server asked (one of them asked). */
  declare origin: string[];
  declare error: string | undefined;

  override firstUpdated(): void {
    // The server is waiting on the person: bring the question into view and focus.
    this.renderRoot.querySelector<HTMLElement>('h3')?.focus();
  }

  private submitForm(): void {
    if (this.ask.kind !== 'elicit') return;
    const form = this.renderRoot.querySelector<SchemaForm>('schema-form');
    const read = form?.read();
    if (!read) return this.ask.answer({ action: 'accept', content: {} });
    if (!read.ok) {
      this.error = `Check the form: ${read.errors.map((e) => `${e.path || 'value'} ${e.message}`).join('; ')}.`;
      return;
    }
    this.ask.answer({ action: 'accept', content: read.value as Record<string, string | number | boolean | string[]> });
  }

  private openUrl(url: URL): void {
    if (this.ask.kind !== 'elicit') return;
    // noopener: the opened page gets no handle on Keyhole.
    window.open(url.href, '_blank', 'noopener,noreferrer');
    this.ask.answer({ action: 'accept' });
  }

  private sampleAnswer(form: HTMLFormElement): void {
    if (this.ask.kind !== 'sample') return;
    const text = String(new FormData(form).get('answer') ?? '').trim();
    if (!text) {
      this.error = 'Write the answer to send, or refuse.';
      return;
    }
    this.ask.answer({ role: 'assistant', model: PERSON_MODEL, stopReason: 'endTurn', content: { type: 'text', text } });
  }

  override render() {
    const origin = this.origin ?? [];
    return html`<section class="ask" aria-labelledby="ask-title" data-ask=${this.ask.kind}>
      ${origin.length
        ? html`<p class="hint" data-ask-origin>
            ${origin.length === 1
              ? html`Asked during your call to <strong>${origin[0]}</strong>; its result shows once you answer.`
              : html`Asked during one of your calls: ${origin.join(', ')}.`}
          </p>`
        : nothing}
      ${this.ask.kind === 'elicit' ? this.renderElicit(this.ask.params) : this.renderSample(this.ask.params)}
      ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : nothing}
    </section>`;
  }

  private renderElicit(params: ElicitRequest['params']) {
    const decline = () => this.ask.kind === 'elicit' && this.ask.answer({ action: 'decline' });
    const cancel = () => this.ask.kind === 'elicit' && this.ask.answer({ action: 'cancel' });
    if (params.mode === 'url') {
      let url: URL | undefined;
      let refused: string | undefined;
      try {
        // Only https (or http on loopback): never javascript:, data: or the like.
        url = checkEndpointUrl(params.url, 'The URL the server asks you to open');
      } catch (err) {
        refused = (err as Error).message;
      }
      return html`<h3 id="ask-title" tabindex="-1">The server asks you to open a web page</h3>
        <p class="message">${params.message}</p>
        <p>Address: <code data-url>${params.url}</code></p>
        ${url ? html`<p class="hint">It opens in a new tab at <strong>${url.host}</strong>. Open it only if you trust that site.</p>` : nothing}
        ${refused ? html`<p class="error">Keyhole will not open it: ${refused}</p>` : nothing}
        <div class="actions">
          ${url ? html`<button class="primary" @click=${() => this.openUrl(url)}>Open ${url.host}</button>` : nothing}
          <button @click=${decline}>Decline</button>
          <button @click=${cancel}>Cancel</button>
        </div>`;
    }
    return html`<h3 id="ask-title" tabindex="-1">The server asks for information</h3>
      <p class="message">${params.message}</p>
      <p class="hint">Sent only to ${this.serverUrl} if you press Send.</p>
      <schema-form .schema=${params.requestedSchema} .label=${'Information requested'}></schema-form>
      <div class="actions">
        <button class="primary" @click=${() => this.submitForm()}>Send</button>
        <button @click=${decline}>Decline</button>
        <button @click=${cancel}>Cancel</button>
      </div>`;
  }

  private renderSample(params: CreateMessageRequest['params']) {
    return html`<h3 id="ask-title" tabindex="-1">The server asks for a model’s answer</h3>
      <p class="hint">
        Keyhole has no model: you answer in its place${params.maxTokens ? ` (the server allows ${params.maxTokens} tokens)` : ''}.
      </p>
      ${params.systemPrompt ? html`<p><strong>System prompt:</strong> <span class="message">${params.systemPrompt}</span></p>` : nothing}
      <ol class="messages">
        ${params.messages.map(
          (m) => html`<li>
            <strong>${m.role}</strong>
            <mcp-content .blocks=${(Array.isArray(m.content) ? m.content : [m.content]) as ContentBlock[]}></mcp-content>
          </li>`,
        )}
      </ol>
      <form
        @submit=${(e: SubmitEvent) => {
          e.preventDefault();
          this.sampleAnswer(e.target as HTMLFormElement);
        }}
      >
        <label for="answer">Your answer</label>
        <textarea id="answer" name="answer" rows="3"></textarea>
        <div class="actions">
          <button class="primary" type="submit">Send answer</button>
          <button type="button" @click=${() => this.ask.kind === 'sample' && this.ask.answer(new Error('The person refused the sampling request.'))}>
            Refuse
          </button>
        </div>
      </form>`;
  }

  static override styles = [
    panelStyles,
    css`
      .ask { border: 2px solid var(--accent); border-radius: 8px; padding: 0.75rem; margin: 0.75rem 0; display: grid; gap: 0.4rem; }
      h3 { margin: 0; font-size: 1rem; }
      h3:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
      .message { white-space: pre-wrap; word-break: break-word; }
      code { word-break: break-all; }
      .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; }
      .messages { padding-left: 1.2rem; margin: 0; display: grid; gap: 0.3rem; }
      form { display: grid; gap: 0.3rem; }
      p { margin: 0; }
    `,
  ];
}

customElements.define('ask-view', AskView);
