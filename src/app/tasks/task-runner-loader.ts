/**
 * The task runner's chunk (task-runner.ts with the official ext-tasks client), loaded with
 * `import()` only when a task exists: a call answered with a task, a stored task that had not
 * ended, or the Tasks tab shown.
 */
export type TaskRunnerModule = typeof import('./task-runner.ts');

let runnerLoad: Promise<TaskRunnerModule> | undefined;
/** The task runner's chunk (with ext-tasks), fetched once for every card; a failed fetch is tried again next time. */
export function loadTaskRunner(): Promise<TaskRunnerModule> {
  return (runnerLoad ??= import('./task-runner.ts').catch((err: unknown) => {
    runnerLoad = undefined;
    throw err;
  }));
}
