// 2. Streaming: `slow-count` sends one SSE progress event per step. For every event: the time
// the demo server wrote it to its socket (taken in this process, see env.mjs) against the time
// the page's reader got it, through the worker and direct, runs alternating. Both clocks are
// this machine's wall clock with sub-millisecond resolution (`performance.timeOrigin + now()` in
// Node and in Chromium); the offset between them is estimated and recorded.
import { sseSendLog } from './env.mjs';
import { pageNow, slowCount } from './page.mjs';
import { quantile, ratio, summary, wallNow } from './stats.mjs';

/** Offset of a page's clock from Node's, from the evaluate round trip with the smallest RTT. */
export async function clockOffset(page, samples = 25) {
  let best = { rtt: Infinity, offset: NaN };
  for (let i = 0; i < samples; i++) {
    const a = wallNow();
    const p = await page.evaluate(pageNow);
    const b = wallNow();
    if (b - a < best.rtt) best = { rtt: b - a, offset: p - (a + b) / 2 };
  }
  return best;
}

/**
 * @param {{ worker: import('playwright-core').Page, direct: import('playwright-core').Page, mcpUrl: string, token: string, runs: number, steps: number, delayMs: number }} o
 */
export async function measureStreaming({ worker, direct, mcpUrl, token, runs, steps, delayMs }) {
  const pages = { worker, direct };
  const clocks = { worker: await clockOffset(worker), direct: await clockOffset(direct) };
  const delays = { worker: [], direct: [] };
  const gaps = { worker: [], direct: [] };
  const totals = { worker: [], direct: [] };
  const perStep = { worker: new Map(), direct: new Map() };
  let missing = 0;
  sseSendLog.enabled = true;
  try {
    // One unmeasured run each first (stream set-up paths, JIT).
    for (const name of ['worker', 'direct']) {
      await pages[name].evaluate(slowCount, { url: mcpUrl, token: name === 'direct' ? token : undefined, steps: 20, delayMs, progressToken: `warm-${name}`, id: 1 });
    }
    for (let r = 0; r < runs; r++) {
      for (const name of r % 2 ? ['direct', 'worker'] : ['worker', 'direct']) {
        const progressToken = `bench-${name}-${r}`;
        const res = await pages[name].evaluate(slowCount, {
          url: mcpUrl,
          token: name === 'direct' ? token : undefined,
          steps,
          delayMs,
          progressToken,
          id: 100 + r,
        });
        if (res.status !== 200 || !res.result) throw new Error(`${name}: slow-count answered ${res.status} without a result`);
        const sent = sseSendLog.byToken.get(progressToken) ?? new Map();
        let prev;
        for (const [step, at] of res.arrivals) {
          const s = sent.get(step);
          if (s === undefined) {
            missing++;
            continue;
          }
          const d = at - s;
          delays[name].push(d);
          if (!perStep[name].has(step)) perStep[name].set(step, []);
          perStep[name].get(step).push(d);
          if (prev !== undefined) gaps[name].push(at - prev);
          prev = at;
        }
        totals[name].push(res.end - res.start);
        sseSendLog.byToken.delete(progressToken);
      }
    }
  } finally {
    sseSendLog.enabled = false;
    sseSendLog.byToken.clear();
  }
  // Per step: median over runs, worker minus direct (pairs the same point in the stream).
  const stepDiffs = [];
  for (const [step, ws] of perStep.worker) {
    const ds = perStep.direct.get(step);
    if (ds) stepDiffs.push(quantile(ws, 0.5) - quantile(ds, 0.5));
  }
  const dw = summary(delays.worker);
  const dd = summary(delays.direct);
  const tw = summary(totals.worker);
  const td = summary(totals.direct);
  return {
    steps,
    delayMs,
    runsPerVariant: runs,
    eventsMatched: { worker: delays.worker.length, direct: delays.direct.length, missing },
    deliveryDelayMs: { worker: dw, direct: dd },
    addedDelayMs: { median: dw.median - dd.median, p95: dw.p95 - dd.p95, perStepMedian: quantile(stepDiffs, 0.5) },
    interArrivalMs: { worker: summary(gaps.worker), direct: summary(gaps.direct) },
    totalMs: { worker: tw, direct: td },
    totalRatio: { median: ratio(tw.median, td.median) },
    clockOffsetMs: clocks,
  };
}
