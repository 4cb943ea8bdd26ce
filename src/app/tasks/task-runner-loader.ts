/**
 * The task runner's chunk (task-runner.ts with the official ext-tasks client), loaded with
 * `import()` only when a task exists: a call answered with a task, a stored task that had not
 * ended, or the Tasks tab shown.
 */
import { loadOnce } from '../load-once.ts';

export type TaskRunnerModule = typeof import('./task-runner.ts');

/** The task runner's chunk (with ext-tasks), fetched once for every card. */
export const loadTaskRunner = loadOnce<TaskRunnerModule>(() => import('./task-runner.ts'));
