/// <reference lib="webworker" />
/**
 * Port-transport requests whose page is gone. The browser cancels a fetch event's request when its
 * page goes away; a message's it does not (Chromium fires no `close` on the port), so a gone page's
 * long answers (an event stream the server keeps open) would hold their connections to the server
 * as long as the worker runs, and after six of them HTTP/1.1 has no connection left for that
 * server (Chromium's per-host limit): the next page waits for ever. A leaving page says so itself
 * (`pagehide`, port-fetch.ts); this catches the pages that could not (a crashed tab).
 */
declare const self: ServiceWorkerGlobalScope;

const open = new Map<string, Set<AbortController>>();
/** How often the worker looks for gone pages while it has their requests open. */
const CHECK_MS = 5_000;
let timer: ReturnType<typeof setInterval> | undefined;

/** Aborts `controller` if client `clientId` goes away before the returned function is called. */
export function abortIfClientGoes(clientId: string, controller: AbortController): () => void {
  let mine = open.get(clientId);
  if (!mine) open.set(clientId, (mine = new Set()));
  const requests = mine;
  requests.add(controller);
  timer ??= setInterval(() => void sweep(), CHECK_MS);
  return () => {
    requests.delete(controller);
    if (!requests.size && open.get(clientId) === requests) open.delete(clientId);
    stopWhenIdle();
  };
}

async function sweep(): Promise<void> {
  const live = new Set((await self.clients.matchAll({ includeUncontrolled: true })).map((c) => c.id));
  for (const [id, requests] of open) {
    if (live.has(id)) continue;
    open.delete(id);
    for (const c of requests) c.abort();
  }
  stopWhenIdle();
}

function stopWhenIdle(): void {
  if (open.size || !timer) return;
  clearInterval(timer);
  timer = undefined;
}
