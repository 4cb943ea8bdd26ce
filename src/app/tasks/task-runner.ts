/**
 * The Tasks extension (`io.modelcontextprotocol/tasks`, SEP-2663) on one connection, through the
 * official `@modelcontextprotocol/ext-tasks` client: it polls `tasks/get` at the server's
 * `pollIntervalMs` (never faster), answers the task's input requests with `tasks/update` (the
 * person answers them in the card's ask queue, like any elicitation or sampling request), and
 * cancels with `tasks/cancel`. This module decides only what the package leaves to the host: which
 * tasks to follow, when (polling stops while the page is hidden and starts again when it shows,
 * since nobody is looking and the task runs on the server regardless), and what the person sees.
 *
 * Every task is kept per server in local storage (task-store.ts), so a page opened later resumes
 * an unfinished one and shows how each ended.
 *
 * This module and ext-tasks are loaded with `import()` when a task exists (task-runner-loader.ts).
 */
// First, as in workbench-view.ts: zod must be told not to generate code before any schema is
// built (Trusted Types). This lazily loaded module reaches zod through its own imports too, and
// the bundler orders a chunk's modules by every path that reaches them: without this line the
// SDK's schemas were built before zod-jitless ran (a Trusted Types violation on every connect).
import '../zod-jitless.ts';
import type { CallToolResult, Client, CreateMessageRequest, CreateMessageResult, ElicitRequest, ElicitResult, Root } from '@modelcontextprotocol/client';
import {
  createApplicationInputHandler,
  createTaskSessionFromClient,
  DispatchError,
  taskViewFromExecutionEvent,
  type ApplicationCreateMessageResult,
  type ApplicationElicitResult,
  type SerializedTaskReference,
  type TaskEnabledSession,
  type TaskOutcome,
  type TaskView,
  type ToolExecution,
} from '@modelcontextprotocol/ext-tasks/client';
import { taskId as asTaskId } from '@modelcontextprotocol/ext-tasks/core';
import type { CreateTaskResultV2 } from '@modelcontextprotocol/ext-tasks/core/v2';
import { isTerminal, loadTasks, outcomeLine, saveTask, type TaskRecord } from './task-store.ts';
import type { TaskStatusUpdate } from './task-status.ts';
import { speaksTasks } from './task-support.ts';
import type { TaskWire } from './task-wire.ts';

/** What the card answers for a task: the same questions as a tool call's. */
export interface TaskAskHooks {
  elicit(params: ElicitRequest['params'], signal: AbortSignal): Promise<ElicitResult>;
  sample(params: CreateMessageRequest['params'], signal: AbortSignal): Promise<CreateMessageResult>;
  roots(): Root[];
}

type Outcome = TaskOutcome<unknown>;

export class TaskRunner {
  /** This server's tasks, newest first (a new array on every change). */
  tasks: TaskRecord[];
  private readonly listeners = new Set<() => void>();
  /** Tasks being followed now, by id: their local driving stops while the page is hidden. */
  private readonly followed = new Map<string, Promise<Outcome>>();
  private readonly pausers = new Set<() => void>();
  private closed = false;
  private readonly onVisibility = () => {
    if (document.visibilityState === 'hidden') for (const pause of [...this.pausers]) pause();
  };

  private constructor(
    private readonly session: TaskEnabledSession,
    private readonly serverUrl: string,
  ) {
    this.tasks = loadTasks(serverUrl);
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  /**
   * The task runner of a connection whose server speaks the extension (2026-07-28, `extensions`
   * in `server/discover`), or undefined.
   */
  static open(
    client: Client,
    wire: TaskWire,
    serverUrl: string,
    hooks: TaskAskHooks,
    clientInfo: { name: string; version: string },
    clientCapabilities: Record<string, unknown>,
  ): TaskRunner | undefined {
    if (!speaksTasks(client)) return undefined;
    const onInputRequest = createApplicationInputHandler({
      elicitation: async (request, context) =>
        (await hooks.elicit(request.params as ElicitRequest['params'], context.signal ?? new AbortController().signal)) as ApplicationElicitResult,
      sampling: async (request, context) =>
        (await hooks.sample(request.params as CreateMessageRequest['params'], context.signal ?? new AbortController().signal)) as unknown as ApplicationCreateMessageResult,
      roots: () => ({ roots: hooks.roots().map((r) => ({ uri: r.uri, ...(r.name ? { name: r.name } : {}) })) }),
    });
    try {
      const session = createTaskSessionFromClient(client, {
        endpointId: serverUrl,
        rawDispatch: wire.dispatchWith((message, cause) => new DispatchError(message, false, { cause })),
        v2RequestFraming: {
          protocolVersion: client.getNegotiatedProtocolVersion() ?? '2026-07-28',
          clientInfo,
          clientCapabilities: clientCapabilities as never,
        },
        // The session's own tool list is the SDK's; this one never lists tools itself.
        tools: { currentTool: () => undefined },
        onInputRequest,
      });
      const runner = new TaskRunner(session, serverUrl);
      runner.resumeUnfinished();
      return runner;
    } catch {
      return undefined;
    }
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Follows a task a tool call was answered with until it ends: resolves with the tool's result,
   * rejects when it failed or was cancelled. Aborting `signal` cancels the task (`tasks/cancel`).
   */
  async follow(
    created: CreateTaskResultV2,
    tool: string,
    options: { signal?: AbortSignal; onStatus?: (s: TaskStatusUpdate) => void } = {},
  ): Promise<CallToolResult> {
    this.remember({
      taskId: created.taskId,
      tool,
      at: Date.now(),
      status: created.status,
      ...(created.statusMessage ? { statusMessage: created.statusMessage } : {}),
      ...(created.pollIntervalMs !== undefined ? { pollIntervalMs: created.pollIntervalMs } : {}),
    });
    options.onStatus?.({ status: created.status, ...(created.statusMessage ? { statusMessage: created.statusMessage } : {}) });
    const onAbort = () => void this.cancel(created.taskId);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const outcome = await this.drive(created.taskId, options.onStatus);
      if (outcome.status === 'completed') return outcome.result as CallToolResult;
      if (outcome.status === 'cancelled') throw new Error('The task was cancelled.');
      throw new Error(`The task failed: ${outcome.error.message}`);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Starts following the stored tasks that had not ended when the page last saw them. */
  resumeUnfinished(): void {
    for (const t of this.tasks) if (!isTerminal(t.status)) void this.drive(t.taskId).catch(() => {});
  }

  /** Asks the server to cancel a task; it is shown cancelled at once (the client need not poll again, SEP-2663). */
  async cancel(taskId: string): Promise<void> {
    const record = this.tasks.find((t) => t.taskId === taskId);
    if (!record || isTerminal(record.status)) return;
    try {
      await this.session.cancelTask(asTaskId(taskId));
      this.remember({ ...record, status: 'cancelled', statusMessage: 'Cancelled.' });
    } catch (err) {
      this.remember({ ...record, statusMessage: `Could not cancel: ${(err as Error).message}` });
    }
  }

  close(): void {
    this.closed = true;
    document.removeEventListener('visibilitychange', this.onVisibility);
    for (const pause of [...this.pausers]) pause();
    void this.session.close().catch(() => {});
  }

  /** One following per task, however many ask (the Tools tab's call and a resume on connect). */
  private drive(taskId: string, onStatus?: (s: TaskStatusUpdate) => void): Promise<Outcome> {
    const running = this.followed.get(taskId);
    if (running) return running;
    const run = this.driveLoop(taskId, onStatus).finally(() => this.followed.delete(taskId));
    this.followed.set(taskId, run);
    return run;
  }

  private async driveLoop(taskId: string, onStatus?: (s: TaskStatusUpdate) => void): Promise<Outcome> {
    const reference = { endpointId: this.serverUrl, generation: 'v2', taskId: asTaskId(taskId), originalOperation: 'tools/call' } as SerializedTaskReference;
    for (;;) {
      await this.whenVisible();
      if (this.closed) throw new Error('Disconnected.');
      let execution: ToolExecution<unknown>;
      try {
        execution = await this.session.resumeTask(reference);
      } catch (err) {
        this.ended(taskId, { status: 'failed', error: err as never });
        throw err;
      }
      let paused = false;
      const pause = () => {
        paused = true;
        void execution.detach();
      };
      this.pausers.add(pause);
      try {
        const { outcome } = await execution.settle({
          onEvent: (event) => {
            const view = taskViewFromExecutionEvent(event);
            if (view && !paused) this.seen(taskId, view, onStatus);
          },
        });
        if (paused) continue;
        this.ended(taskId, outcome);
        return outcome;
      } finally {
        this.pausers.delete(pause);
      }
    }
  }

  /** Resolves when the page is visible (at once if it is). */
  private whenVisible(): Promise<void> {
    if (document.visibilityState !== 'hidden' || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const on = () => {
        if (document.visibilityState === 'hidden' && !this.closed) return;
        document.removeEventListener('visibilitychange', on);
        resolve();
      };
      document.addEventListener('visibilitychange', on);
    });
  }

  private seen(taskId: string, view: TaskView, onStatus?: (s: TaskStatusUpdate) => void): void {
    const record = this.tasks.find((t) => t.taskId === taskId);
    if (!record || isTerminal(record.status)) return;
    const { statusMessage: _old, ...rest } = record;
    this.remember({
      ...rest,
      status: view.status,
      ...(view.statusMessage ? { statusMessage: view.statusMessage } : {}),
      ...(view.suggestedPollIntervalMs !== undefined ? { pollIntervalMs: view.suggestedPollIntervalMs } : {}),
    });
    onStatus?.({ status: view.status, ...(view.statusMessage ? { statusMessage: view.statusMessage } : {}) });
  }

  private ended(taskId: string, outcome: Outcome): void {
    const record = this.tasks.find((t) => t.taskId === taskId);
    if (!record) return;
    const statusMessage = outcome.task?.statusMessage ?? record.statusMessage;
    const base = { taskId, tool: record.tool, at: record.at, ...(statusMessage ? { statusMessage } : {}) };
    if (outcome.status === 'completed') {
      const result = outcome.result as CallToolResult;
      this.remember({ ...base, status: 'completed', outcome: outcomeLine(result), ...(result.isError ? { isError: true } : {}) });
    } else if (outcome.status === 'cancelled') {
      this.remember({ ...base, status: 'cancelled' });
    } else {
      this.remember({ ...base, status: 'failed', outcome: (outcome.error as Error | undefined)?.message ?? 'Failed.', isError: true });
    }
  }

  private remember(record: TaskRecord): void {
    this.tasks = saveTask(this.serverUrl, record);
    for (const l of this.listeners) l();
  }
}
