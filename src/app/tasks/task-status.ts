/**
 * A task's state while the tool call it answered waits (the Tasks extension, SEP-2663), and the
 * line the Tools tab shows for it. Its own module: the card's tool calls (first load) import it
 * without the task store or the runner.
 */
import type { TaskRecord } from './task-store.ts';

export interface TaskStatusUpdate {
  status: TaskRecord['status'];
  statusMessage?: string;
}

/** "Task working: Step 3 of 10": the task's status and the server's message, as a call's status line. */
export function taskStatusLine(update: TaskStatusUpdate): string {
  const message = update.statusMessage?.trim();
  return `Task ${update.status.replace('_', ' ')}${message ? `: ${message}` : ''}`;
}
