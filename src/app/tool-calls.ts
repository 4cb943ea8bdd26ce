/**
 * A server's tool calls as the person made them: each tool's latest call (running, with its
 * progress and a way to cancel it, or its result), the call waiting for a step-up, and the input
 * typed but not sent. It belongs to the card, not the Tools tab: a call waiting for authorization
 * outlives the tabs, and what was typed survives the authorization redirect (page storage). Every
 * change asks the card to draw again.
 */
import type { ReactiveControllerHost } from 'lit';
import { McpFailure } from './mcp-failure.ts';
import type { McpSession } from './mcp-session.ts';
import { clearDraft, draftKey, loadDraft, saveDraft } from './drafts-store.ts';
import { dropPendingCall, setPendingCall, takePendingCall } from './servers-store.ts';
import { taskStatusLine } from './tasks/task-status.ts';
import type { ToolDraft, ToolOutput } from './panels/tools-panel.ts';

export class ToolCalls {
  /** Each tool's latest call, by tool name (a new object on every change, so Lit redraws). */
  outputs: Record<string, ToolOutput> = {};
  /** Unsent input by tool name. */
  drafts = new Map<string, ToolDraft>();
  /** A tool call interrupted by a 401/403, to run again after authorization. */
  waiting: string | undefined;
  /** Bumped by reset(): an answer that arrives after a disconnect belongs to nothing shown. */
  private generation = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly serverUrl: () => string,
    private readonly session: () => McpSession | undefined,
  ) {}

  /** The tools whose calls are running now. */
  get running(): string[] {
    return Object.entries(this.outputs)
      .filter(([, o]) => o.state === 'running')
      .map(([name]) => name);
  }

  /** The session opened: input typed before the redirect comes back; a call cut short by it runs again. */
  resume(session: McpSession): string | undefined {
    const drafts = new Map(this.drafts);
    for (const t of session.tools) {
      if (drafts.has(t.name)) continue;
      const saved = loadDraft(this.serverUrl(), draftKey('tool', t.name)) as ToolDraft | undefined;
      if (saved && typeof saved === 'object' && ('value' in saved || 'json' in saved)) drafts.set(t.name, saved);
    }
    this.drafts = drafts;
    const pending = takePendingCall(this.serverUrl());
    this.waiting = undefined;
    this.host.requestUpdate();
    if (!pending) return undefined;
    const args = JSON.parse(pending.args) as Record<string, unknown>;
    // Its form shows what was sent, as before the redirect.
    this.load(pending.tool, args);
    void this.call(pending.tool, args);
    return pending.tool;
  }

  keepDraft(name: string, draft: ToolDraft): void {
    this.drafts = new Map(this.drafts).set(name, draft);
    saveDraft(this.serverUrl(), draftKey('tool', name), draft);
    this.host.requestUpdate();
  }

  /** Loads arguments into a tool's form (a call run again from the history). */
  load(name: string, args: Record<string, unknown>): void {
    this.drafts = new Map(this.drafts).set(name, { value: args });
    this.host.requestUpdate();
  }

  cancel(name: string): void {
    this.outputs[name]?.abort?.abort();
  }

  /** Disconnected: nothing runs or waits any more, and a late answer is not shown. */
  reset(): void {
    for (const o of Object.values(this.outputs)) o.abort?.abort();
    this.outputs = {};
    this.waiting = undefined;
    this.generation++;
    dropPendingCall(this.serverUrl());
    this.host.requestUpdate();
  }

  fail(name: string, text: string): void {
    this.set(name, { state: 'error', text });
  }

  async call(name: string, args: Record<string, unknown>): Promise<void> {
    const session = this.session();
    if (!session) return this.fail(name, 'Not connected.');
    // One call per tool at a time (Call is disabled meanwhile; "Run again" obeys the same rule).
    // A call only waiting for authorization (no request in flight) may run again.
    if (this.outputs[name]?.state === 'running' && this.outputs[name]?.abort) return;
    const generation = this.generation;
    const set = (out: ToolOutput) => {
      if (generation === this.generation) this.set(name, out);
    };
    // Sent: what was typed is no longer unsent (the form keeps showing it this visit).
    clearDraft(this.serverUrl(), draftKey('tool', name));
    const abort = new AbortController();
    set({ state: 'running', text: 'Calling…', abort });
    try {
      const result = await session.callTool(name, args, {
        signal: abort.signal,
        onProgress: (p) =>
          set({
            state: 'running',
            abort,
            text: `Running… ${p.progress}${p.total ? ` of ${p.total}` : ''}${p.message ? `: ${p.message}` : ''}`,
            ...(p.total ? { fraction: Math.min(1, p.progress / p.total) } : {}),
          }),
        // Answered with a task (SEP-2663): its status and the server's message, e.g. "Task working: Step 3 of 10".
        onTask: (s) => set({ state: 'running', abort, text: taskStatusLine(s) }),
      });
      set({ state: result.isError ? 'error' : 'ok', text: '', result, args });
    } catch (err) {
      if (err instanceof McpFailure && err.kind === 'auth') {
        // The worker records the step-up; after authorization the call runs again by itself.
        if (generation !== this.generation) return;
        setPendingCall({ serverUrl: this.serverUrl(), tool: name, args: JSON.stringify(args) });
        this.waiting = name;
        set({
          state: 'running',
          text:
            err.status === 403
              ? 'The server needs more permission for this tool. Press Authorize; the call runs again afterwards.'
              : 'The server needs a new authorization. Press Authorize; the call runs again afterwards.',
        });
        return;
      }
      set({ state: 'error', text: (err as Error).message });
    }
  }

  private set(name: string, out: ToolOutput): void {
    this.outputs = { ...this.outputs, [name]: out };
    this.host.requestUpdate();
  }
}
