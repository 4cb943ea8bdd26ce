/**
 * The Tasks tab: the tasks this server runs for this browser (the Tasks extension, SEP-2663),
 * newest first, each with its tool, status, the server's status message, how it ended, and
 * Cancel while it runs. A task's questions appear in the card's ask queue, like a tool call's.
 * Status messages and outcomes are server text, rendered as text.
 */
import { LitElement, css, html, nothing } from 'lit';
import type { TaskRunner } from '../tasks/task-runner.ts';
import { isTerminal, type TaskRecord } from '../tasks/task-store.ts';
import { panelStyles } from './panel-styles.ts';

const STATUS_LABEL: Record<TaskRecord['status'], string> = {
  working: 'Working',
  input_required: 'Needs your answer',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export class TasksView extends LitElement {
  static override properties = {
    runner: { attribute: false },
    revision: { state: true },
  };

  /** The connection's task runner; undefined when the server does not speak the extension. */
  declare runner: TaskRunner | undefined;
  declare revision: number;
  private unsubscribe: (() => void) | undefined;
  private subscribed: TaskRunner | undefined;

  constructor() {
    super();
    this.runner = undefined;
    this.revision = 0;
  }

  override willUpdate(): void {
    if (this.subscribed === this.runner) return;
    this.unsubscribe?.();
    this.subscribed = this.runner;
    this.unsubscribe = this.runner?.subscribe(() => this.revision++);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.subscribed = undefined;
  }

  override render() {
    if (!this.runner) {
      return html`<p class="hint">This server does not offer tasks (the <code>io.modelcontextprotocol/tasks</code> extension, protocol 2026-07-28).</p>`;
    }
    const tasks = this.runner.tasks;
    const running = tasks.filter((t) => !isTerminal(t.status)).length;
    return html`
      <p class="hint" role="status">
        ${tasks.length ? `${tasks.length} task${tasks.length === 1 ? '' : 's'}, ${running} running.` : 'No tasks yet: a tool the server runs as a task shows here.'}
        Polling pauses while this page is hidden.
      </p>
      <ol class="entries tasks" aria-label="Tasks">
        ${tasks.map((t) => this.renderTask(t))}
      </ol>
    `;
  }

  private renderTask(t: TaskRecord) {
    const done = isTerminal(t.status);
    return html`<li data-task=${t.taskId} data-status=${t.status}>
      <div class="head">
        <h4>${t.tool}</h4>
        <span class="status ${t.status}">${STATUS_LABEL[t.status]}</span>
        <time datetime=${new Date(t.at).toISOString()}>${new Date(t.at).toLocaleTimeString(undefined, { hour12: false })}</time>
      </div>
      ${t.statusMessage ? html`<p class="message">${t.statusMessage}</p>` : nothing}
      ${t.outcome ? html`<p class="outcome ${t.isError ? 'error' : ''}">${t.outcome}</p>` : nothing}
      <p class="hint id">Task <code>${t.taskId}</code>${t.pollIntervalMs && !done ? html`, checked every ${t.pollIntervalMs / 1000} s` : nothing}</p>
      ${done
        ? nothing
        : html`<div><button aria-label="Cancel task ${t.tool} (${t.taskId})" @click=${() => void this.runner?.cancel(t.taskId)}>Cancel</button></div>`}
    </li>`;
  }

  static override styles = [
    panelStyles,
    css`
      .head { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: baseline; }
      .head time { color: var(--muted); font-size: 0.8rem; }
      .status { font-size: 0.8rem; font-weight: 600; padding: 0 0.4rem; border-radius: 999px; border: 1px solid var(--line); }
      .status.input_required { color: var(--warn); }
      .status.failed { color: var(--err); }
      .message, .outcome { white-space: pre-wrap; word-break: break-word; }
      .id code { word-break: break-all; }
    `,
  ];
}

customElements.define('tasks-view', TasksView);
