/** The look every panel of a server card shares (inputs, buttons, hints), in one place. */
import { css } from 'lit';

export const panelStyles = css`
  :host { display: block; }
  label { font-size: 0.8rem; color: var(--muted); }
  input, select, textarea { font: inherit; font-size: 0.9rem; padding: 0.3rem; border-radius: 6px; border: 1px solid var(--line); background: var(--bg); color: var(--fg); min-width: 0; max-width: 100%; box-sizing: border-box; }
  textarea { font-family: ui-monospace, monospace; width: 100%; }
  button { font: inherit; padding: 0.35rem 0.8rem; border-radius: 6px; border: 1px solid var(--line); background: transparent; color: var(--fg); cursor: pointer; }
  button.primary { background: var(--accent); color: var(--accent-fg); border-color: var(--accent); }
  button:disabled { opacity: 0.6; cursor: default; }
  button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, summary:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
  .hint { color: var(--muted); font-size: 0.85rem; margin: 0.3rem 0; }
  .error { color: var(--err); white-space: pre-wrap; }
  /* Read by assistive technology, not drawn. */
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  pre { white-space: pre-wrap; word-break: break-word; }
  /* Lists of what a server offers (resources, prompts): a heading, then one item per entry. */
  h3 { font-size: 0.95rem; margin: 1rem 0 0.5rem; }
  h4 { margin: 0; font-size: 0.95rem; }
  .entries { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.75rem; }
  .entries li { border-top: 1px solid var(--line); padding-top: 0.5rem; display: grid; gap: 0.3rem; grid-template-columns: minmax(0, 1fr); }
  .entries p { margin: 0; }
  /* A row of filters over a log (the server log, the protocol view). */
  .filters { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: end; }
  .filters label { display: grid; gap: 0.1rem; }
  /* List and detail (tools, resources, prompts): the list beside the open entry, stacked when the
     panel is narrow (a container query: the panel's width, not the window's, decides). */
  .split { container-type: inline-size; }
  .split-grid { display: grid; gap: 1rem; grid-template-columns: minmax(0, 1fr); align-items: start; }
  .split-grid > item-list { --item-list-max-height: 15rem; }
  @container (min-width: 44rem) {
    .split-grid { grid-template-columns: minmax(13rem, 18rem) minmax(0, 1fr); }
    /* Beside the detail, the list stays in view while the detail scrolls. */
    .split-grid > item-list { --item-list-max-height: calc(100vh - 6rem); position: sticky; top: 0.5rem; }
  }
  .detail { min-width: 0; display: grid; gap: 0.5rem; align-content: start; }
  .detail h3 { margin: 0; }
`;
