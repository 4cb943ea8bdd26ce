/** The server card's own styles (its header, notices, facts, and the workbench's tab bar). */
import { css } from 'lit';

export const serverCardStyles = css`
    :host { display: block; overflow-wrap: anywhere; }
    article { display: grid; gap: 0.6rem; }
    .head { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; justify-content: space-between; }
    .title { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; min-width: 0; }
    .icon { width: 24px; height: 24px; object-fit: contain; }
    h2 { font-size: 1.15rem; margin: 0; word-break: break-all; }
    h2:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
    .url { flex-basis: 100%; order: 3; font-size: 0.8rem; }
    .badge { font-size: 0.8rem; padding: 0.1rem 0.5rem; border-radius: 999px; border: 1px solid var(--line); color: var(--muted); }
    .badge.connected { color: var(--ok); border-color: currentColor; }
    .badge.error { color: var(--err); border-color: currentColor; }
    .badge.needs-authorization { color: var(--warn); border-color: currentColor; }
    p { margin: 0; }
    .error { color: var(--err); white-space: pre-wrap; }
    .reason, .warning { color: var(--warn); }
    .hint { color: var(--muted); font-size: 0.85rem; }
    .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; }
    button { font: inherit; font-size: 0.9rem; padding: 0.35rem 0.8rem; border-radius: 6px; border: 1px solid var(--line); background: var(--card); color: var(--fg); cursor: pointer; }
    button.primary { background: var(--accent); color: var(--accent-fg); border-color: var(--accent); }
    button.danger { color: var(--err); border-color: currentColor; }
    button:disabled { opacity: 0.55; cursor: not-allowed; }
    button:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
    .facts { display: flex; flex-wrap: wrap; gap: 0.2rem 1.25rem; margin: 0; font-size: 0.85rem; }
    .facts div { display: flex; gap: 0.4rem; min-width: 0; }
    .facts dt { color: var(--muted); flex: none; }
    .facts dd { margin: 0; word-break: break-word; }
    .tabs { display: flex; flex-wrap: wrap; gap: 0.25rem; border-bottom: 1px solid var(--line); margin-top: 0.25rem; }
    .tabs button { white-space: nowrap; border: none; border-bottom: 3px solid transparent; border-radius: 0; padding: 0.4rem 0.7rem; background: transparent; }
    .tabs button[aria-selected='true'] { border-bottom-color: var(--accent); font-weight: 600; }
    .tabs .count { color: var(--muted); font-weight: normal; }
    [role='tabpanel'] { padding-top: 0.25rem; min-width: 0; }
    code { word-break: break-all; color: var(--muted); }
  `;
