/**
 * A chunk loaded with `import()` when first needed (the workbench, the task runner, the MCP Apps
 * host): fetched once for every caller, and tried again at the next call when the fetch failed.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= load().catch((err: unknown) => {
      pending = undefined;
      throw err;
    }));
}
