/**
 * The tasks a server runs for this browser, per server, in local storage: a task outlives the
 * page that started it (SEP-2663 "Task Polling": clients SHOULD persist task ids so polling can
 * resume after a restart), so a reopened page finds it and shows how it ended. Each record holds
 * the task id, the tool, the last status seen and a short outcome: server text, never a
 * credential (the page has none).
 */
import { readJson, removeKey, webStorage, writeNewestFirst, type StorageLike } from '../web-storage.ts';

export type TaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

export interface TaskRecord {
  taskId: string;
  tool: string;
  /** ms since the epoch, when this browser learned of the task */
  at: number;
  status: TaskStatus;
  statusMessage?: string;
  /** How it ended, in a line: the result's text, the error, or nothing for a cancelled task. */
  outcome?: string;
  /** The result was a tool error (`isError`), or the task failed. */
  isError?: boolean;
  pollIntervalMs?: number;
}

/** Tasks kept per server; the oldest go first. */
export const TASKS_KEPT = 50;
/** An outcome line is cut to this many characters. */
export const OUTCOME_CHARS = 500;

const key = (serverUrl: string) => `keyhole.tasks.${serverUrl}`;

export function isTerminal(status: TaskStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

const STATUSES = new Set<TaskStatus>(['working', 'input_required', 'completed', 'failed', 'cancelled']);

function isRecord(v: unknown): v is TaskRecord {
  const r = v as TaskRecord;
  return !!r && typeof r === 'object' && typeof r.taskId === 'string' && typeof r.tool === 'string' && typeof r.at === 'number' && STATUSES.has(r.status);
}

/** The server's tasks, newest first (what cannot be read is left out). */
export function loadTasks(serverUrl: string, storage: StorageLike = webStorage('localStorage')): TaskRecord[] {
  const list = readJson(storage, key(serverUrl));
  return Array.isArray(list) ? list.filter(isRecord) : [];
}

/** Adds or replaces one task (by id), newest first; returns the list as stored. */
export function saveTask(serverUrl: string, record: TaskRecord, storage: StorageLike = webStorage('localStorage')): TaskRecord[] {
  const clipped = record.outcome && record.outcome.length > OUTCOME_CHARS ? { ...record, outcome: `${record.outcome.slice(0, OUTCOME_CHARS - 1)}…` } : record;
  const others = loadTasks(serverUrl, storage).filter((t) => t.taskId !== record.taskId);
  const list = [clipped, ...others].sort((a, b) => b.at - a.at).slice(0, TASKS_KEPT);
  writeNewestFirst(storage, key(serverUrl), list);
  return list;
}

export function clearTasks(serverUrl: string, storage: StorageLike = webStorage('localStorage')): void {
  removeKey(storage, key(serverUrl));
}

/** A tool result as one line: its text blocks joined, or what kinds of content it holds. */
export function outcomeLine(result: { content?: unknown; structuredContent?: unknown } | undefined): string {
  const content = Array.isArray(result?.content) ? (result.content as { type?: unknown; text?: unknown }[]) : [];
  const texts = content.filter((c) => c?.type === 'text' && typeof c.text === 'string').map((c) => c.text as string);
  if (texts.length) return texts.join(' ');
  if (content.length) return content.map((c) => String(c?.type ?? 'content')).join(', ');
  return result?.structuredContent !== undefined ? 'Structured content' : 'No content';
}
