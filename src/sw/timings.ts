/// <reference lib="webworker" />
/**
 * Durations the worker measures of itself, for `npm run bench` (which reads them in the worker's
 * own global through the browser's devtools protocol). Nothing here reaches a page. Each series
 * keeps its latest samples only.
 */
declare const self: ServiceWorkerGlobalScope & { keyholeTimings?: Record<string, number[]> };

const KEPT = 2048;
const series: Record<string, number[]> = {};
self.keyholeTimings = series;

export function recordTiming(name: string, ms: number): void {
  const s = (series[name] ??= []);
  if (s.length >= KEPT) s.shift();
  s.push(ms);
}
