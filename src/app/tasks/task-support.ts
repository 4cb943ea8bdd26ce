/**
 * What the page knows of the Tasks extension (`io.modelcontextprotocol/tasks`, SEP-2663) before
 * its code is loaded: whether a server speaks it, and whether this browser has unfinished tasks
 * stored for it. The task runner and the official ext-tasks client come with `import()` only
 * when a task exists (task-runner-loader.ts).
 */
import type { Client } from '@modelcontextprotocol/client';
import { isTerminal, loadTasks } from './task-store.ts';
import type { StorageLike } from '../web-storage.ts';

export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** The server declared the extension on a 2026-07-28 connection (`extensions` in `server/discover`). */
export function speaksTasks(client: Pick<Client, 'getServerCapabilities' | 'getProtocolEra'>): boolean {
  const ext = client.getServerCapabilities()?.extensions?.[TASKS_EXTENSION];
  return client.getProtocolEra() === 'modern' && !!ext && typeof ext === 'object';
}

/** A task this browser follows for the server had not ended when a page last saw it (it is resumed on connect). */
export function hasUnfinishedTasks(serverUrl: string, storage?: StorageLike): boolean {
  return loadTasks(serverUrl, storage).some((t) => !isTerminal(t.status));
}
