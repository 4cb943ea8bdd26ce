/**
 * A connection's authorization timeline: every step the worker took (discovery, registration,
 * the authorization request, the token exchange), each with the document it found or sent,
 * already stripped of tokens, codes and secrets by the worker (`showable`).
 */
import { LitElement, css, html, nothing } from 'lit';
import type { TimelineStep } from '../../protocol.ts';
import './json-view.ts';
import { panelStyles } from './panel-styles.ts';

/** What a timeline step's document is, by step. */
const STEP_DOCUMENT: Record<string, string> = {
  prm: 'Protected resource metadata (RFC 9728)',
  'as-metadata': 'Authorization server metadata',
  register: 'Registration response (RFC 7591), secrets removed',
  authorize: 'Authorization request parameters (the PKCE verifier never leaves the worker)',
  token: 'Token response, tokens removed',
};

export class TimelineView extends LitElement {
  static override properties = { steps: { attribute: false } };
  declare steps: TimelineStep[];

  constructor() {
    super();
    this.steps = [];
  }

  override render() {
    return html`<details class="timeline">
      <summary>Authorization timeline (${this.steps.length} steps)</summary>
      <ol>
        ${this.steps.map(
          (s) => html`<li class=${s.outcome}>
            <span class="step">${s.step}</span> ${s.detail}${s.url ? html` <code>${s.url}</code>` : nothing}${s.repeat && s.step !== 'left-out'
              ? html` <span class="repeat" data-repeat=${s.repeat}>×${s.repeat}, last at ${new Date(s.lastAt ?? s.at).toLocaleTimeString()}</span>`
              : nothing}
            ${s.document
              ? html`<details class="doc">
                  <summary>${STEP_DOCUMENT[s.step] ?? 'Document'}</summary>
                  <json-view .value=${s.document} label=${`${s.step} document`}></json-view>
                </details>`
              : nothing}
          </li>`,
        )}
      </ol>
    </details>`;
  }

  static override styles = [
    panelStyles,
    css`
      .timeline { font-size: 0.85rem; }
      .timeline > summary { cursor: pointer; }
      ol { padding-left: 1.2rem; }
      li.fail { color: var(--err); }
      .step { font-weight: 600; }
      .repeat { color: var(--muted); white-space: nowrap; }
      code { word-break: break-all; color: var(--muted); }
      json-view { display: block; background: var(--bg); padding: 0.4rem; border-radius: 6px; margin-top: 0.3rem; }
    `,
  ];
}

customElements.define('timeline-view', TimelineView);
