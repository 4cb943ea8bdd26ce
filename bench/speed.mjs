// Issue 18's per-call figures under their stable results.json keys, each with its target:
// workerOverInterception (goal 2), portTransportOverWorker (goal 3), dpopClientMs (goal 5),
// keyholeOverInspector (goal 6). Derived from parts 1, 7 and 8 of the same run.

/** @returns {Record<string, unknown>} the keys to add to results.json (those that were measured) */
export function speedFigures(R) {
  const out = {};
  const o = R.overhead && !R.overhead.error ? R.overhead : undefined;
  if (o?.sequential?.workerOverInterception) {
    out.workerOverInterception = {
      sequential: o.sequential.workerOverInterception.median,
      concurrent32: o.concurrent32.workerOverInterception.median,
      target: 1.05,
      note: 'median latency, Keyhole worker / bare service-worker interception',
    };
  }
  if (o?.sequential?.portOverWorker) {
    const seq = o.sequential.portOverWorker.median;
    const c32 = o.concurrent32.portOverWorker.median;
    out.portTransportOverWorker = {
      sequential: seq,
      concurrent32: c32,
      target: 0.9,
      fastEnough: seq <= 0.9 && c32 <= 0.9,
      note: 'median latency, port transport / fetch-event path; adopt as default only at ≤ 0.9 and a passing e2e suite',
    };
  }
  if (R.dpop && !R.dpop.error && Number.isFinite(R.dpop.dpopClientMs)) {
    out.dpopClientMs = {
      median: R.dpop.dpopClientMs,
      p95: R.dpop.workerAuthMs.dpop.p95,
      bearerMedian: R.dpop.workerAuthMs.bearer.median,
      serverVerifyEstimateMs: R.dpop.serverVerifyEstimateMs,
      target: 0.5,
      note: "the worker's clock ticks in 0.1 ms (performance.now() is coarsened outside cross-origin isolation)",
    };
  }
  if (R.inspector && !R.inspector.error) {
    const i = R.inspector;
    const keyholeFirstLoad = R.size?.firstLoad?.gzip;
    out.keyholeOverInspector = {
      callLatency: i.latencyRatio.median,
      firstLoadGzip: Number.isFinite(keyholeFirstLoad) ? keyholeFirstLoad / i.inspectorFirstLoad.gzip : undefined,
      inspectorVersion: i.version,
      target: '< 1 (Keyhole faster and smaller)',
    };
  } else if (R.inspector?.error) {
    out.keyholeOverInspector = { error: R.inspector.error.split('\n')[0] };
  }
  return out;
}

/** The table's rows for these figures (report.mjs's row and head). */
export function speedRows(R, { row, head, f, kb, yn }) {
  const o = R.overhead && !R.overhead.error ? R.overhead : undefined;
  if (o?.sequential?.latencyMs?.port) {
    head('1b. Transports (same calls, same rounds as part 1): fetch-event worker, port transport, bare interception');
    for (const [mode, title] of [
      ['sequential', 'sequential'],
      ['concurrent32', '32 in flight'],
    ]) {
      const m = o[mode];
      const L = m.latencyMs;
      row(`  ${title}: latency, port transport (n=${L.port.n})`, f(L.port.median), f(L.port.p95), 'ms');
      if (m.workerOverInterception) {
        row(`  ${title}: worker / interception only`, f(m.workerOverInterception.median, 3), f(m.workerOverInterception.p95, 3), 'x', '', '≤ 1.05 (median)', yn(m.workerOverInterception.median <= 1.05));
      }
      row(`  ${title}: port transport / worker`, f(m.portOverWorker.median, 3), f(m.portOverWorker.p95, 3), 'x', `thr ${f(m.portThroughputOverWorker.median, 3)}x`, '≤ 0.90 to adopt', yn(m.portOverWorker.median <= 0.9));
    }
  }
  if (R.dpop && !R.dpop.error && R.dpop.workerAuthMs) {
    const a = R.dpop.workerAuthMs;
    head('7b. DPoP split: the worker\'s share per call (credentials added until the request leaves)');
    row(`  DPoP proof in the worker (n=${a.dpop.n})`, f(a.dpop.median, 3), f(a.dpop.p95, 3), 'ms', '', '≤ 0.5 ms (median)', yn(a.dpop.median <= 0.5));
    row('  Bearer header in the worker', f(a.bearer.median, 3), f(a.bearer.p95, 3), 'ms');
    row('  left for the server\'s verification (DPoP − Bearer call − client share, medians)', f(R.dpop.serverVerifyEstimateMs, 3), '', 'ms');
  }
  if (R.inspector?.error) {
    head('8. MCP Inspector v2');
    row(`  not measured: ${R.inspector.error.split('\n')[0].slice(0, 110)}`, '', '');
  } else if (R.inspector) {
    const i = R.inspector;
    head(`8. MCP Inspector ${i.version} (its web client → its backend → the same MCP server; alternated with Keyhole over its default port transport)`);
    row(`  tools/call echo, Keyhole (port transport, the default; n=${i.callLatencyMs.keyhole.n})`, f(i.callLatencyMs.keyhole.median), f(i.callLatencyMs.keyhole.p95), 'ms');
    row('  tools/call echo, Inspector backend route', f(i.callLatencyMs.inspector.median), f(i.callLatencyMs.inspector.p95), 'ms');
    row('  latency ratio Keyhole/Inspector', f(i.latencyRatio.median, 3), f(i.latencyRatio.p95, 3), 'x', '', '< 1', yn(i.latencyRatio.median < 1));
    row(`  Inspector first load, JS + CSS (${i.inspectorFirstLoad.files.length} files)`, `raw ${kb(i.inspectorFirstLoad.raw)}`, `gz ${kb(i.inspectorFirstLoad.gzip)}`);
    const k = R.size?.firstLoad?.gzip;
    if (Number.isFinite(k)) row('  first load ratio Keyhole/Inspector (gzip)', f(k / i.inspectorFirstLoad.gzip, 3), '', 'x', '', '< 1', yn(k < i.inspectorFirstLoad.gzip));
  }
}
