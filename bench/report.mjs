// The terminal table. Every figure: median and p95; a ratio where there is a baseline; the
// target beside it where the brief sets one. "within" only reports; the run always exits 0.
import { speedRows } from './speed.mjs';

const f = (x, d = 2) => (x === undefined || x === null || !Number.isFinite(x) ? '–' : x.toFixed(d));
const kb = (b) => (Number.isFinite(b) ? `${(b / 1024).toFixed(1)} KB` : '–');

/** @returns {{ rows: string[][], notes: string[] }} */
export function buildRows(R) {
  const rows = [];
  const notes = [];
  const head = (t) => rows.push([t]);
  /** label, median, p95, unit, ratio, target, within */
  const row = (label, median, p95, unit = '', ratio = '', target = '', within = '') => rows.push([label, median, p95, unit, ratio, target, within]);
  const yn = (b) => (b === undefined ? '' : b ? 'yes' : 'NO');
  const failed = (key, title) => {
    if (R[key]?.error) {
      head(title);
      row(`  failed: ${R[key].error.split('\n')[0].slice(0, 110)}`, '', '');
      return true;
    }
    return !R[key];
  };

  if (!failed('overhead', '1. Per-request overhead, tools/call echo (worker = app page through the service worker; direct = uncontrolled page, own token)')) {
    head('1. Per-request overhead, tools/call echo (worker = app page through the service worker; direct = uncontrolled page, own token)');
    const o = R.overhead;
    for (const [mode, title] of [
      ['sequential', 'sequential'],
      ['concurrent32', '32 in flight'],
    ]) {
      const m = o[mode];
      const L = m.latencyMs;
      row(`  ${title}: latency, worker (n=${L.worker.n})`, f(L.worker.median), f(L.worker.p95), 'ms');
      row(`  ${title}: latency, direct (n=${L.direct.n})`, f(L.direct.median), f(L.direct.p95), 'ms');
      row(`  ${title}: latency ratio worker/direct`, f(m.latencyRatio.median, 3), f(m.latencyRatio.p95, 3), 'x', '', '≤ 1.05 (median)', yn(m.latencyRatio.median <= 1.05));
      row(`  ${title}: added latency, worker − direct`, f(m.addedLatencyMs.median), f(m.addedLatencyMs.p95), 'ms');
      if (L.passthrough) {
        row(`  ${title}: latency, interception only (diagnostic)`, f(L.passthrough.median), f(L.passthrough.p95), 'ms', f(m.passthroughLatencyRatio.median, 3) + 'x');
      }
      const T = m.throughputPerSec;
      row(`  ${title}: throughput, worker (${m.rounds} rounds; p95 col = slow tail, 5th pct)`, f(T.worker.median, 0), f(T.worker.p5, 0), 'req/s');
      row(`  ${title}: throughput, direct`, f(T.direct.median, 0), f(T.direct.p5, 0), 'req/s');
      row(`  ${title}: throughput ratio worker/direct`, f(m.throughputRatio.median, 3), '', 'x', `paired ${f(m.throughputRatio.pairedRoundsMedian, 3)}`, '≥ 0.95', yn(m.throughputRatio.median >= 0.95));
    }
    const p = o.preflightsPer100Calls;
    row(
      `  CORS preflights (OPTIONS) per 100 calls: worker ${f(p.worker, 0)}, direct ${f(p.direct, 0)}${p.passthrough !== undefined ? `, interception only ${f(p.passthrough, 0)}` : ''}`,
      '',
      '',
    );
    if (p.worker > 50) notes.push(`The worker's MCP requests each pay a CORS preflight (${f(p.worker, 0)} OPTIONS per 100 calls; direct: ${f(p.direct, 0)}).`);
  }

  if (!failed('streaming', '2. Streaming, slow-count progress events')) {
    const s = R.streaming;
    head(`2. Streaming, slow-count ${s.steps} steps, delayMs ${s.delayMs}, ${s.runsPerVariant} runs each (server write → page reader)`);
    row('  delivery delay per event, worker', f(s.deliveryDelayMs.worker.median), f(s.deliveryDelayMs.worker.p95), 'ms');
    row('  delivery delay per event, direct', f(s.deliveryDelayMs.direct.median), f(s.deliveryDelayMs.direct.p95), 'ms');
    row('  added delay, worker − direct', f(s.addedDelayMs.median), f(s.addedDelayMs.p95), 'ms', `per step ${f(s.addedDelayMs.perStepMedian)}`, '≤ 1 ms (median)', yn(s.addedDelayMs.median <= 1));
    row('  inter-arrival, worker', f(s.interArrivalMs.worker.median), f(s.interArrivalMs.worker.p95), 'ms');
    row('  inter-arrival, direct', f(s.interArrivalMs.direct.median), f(s.interArrivalMs.direct.p95), 'ms');
    row('  whole call, worker', f(s.totalMs.worker.median, 1), f(s.totalMs.worker.p95, 1), 'ms', `${f(s.totalRatio.median, 3)}x`);
    row('  whole call, direct', f(s.totalMs.direct.median, 1), f(s.totalMs.direct.p95, 1), 'ms');
    const c = s.clockOffsetMs;
    row(`  (page clock − Node clock: worker page ${f(c.worker.offset)} ± ${f(c.worker.rtt / 2)} ms, direct page ${f(c.direct.offset)} ± ${f(c.direct.rtt / 2)} ms; not subtracted)`, '', '');
  }

  for (const [key, title] of [
    ['refresh', '3. Refresh coalescing'],
    ['refreshMargin', '3b. Refresh coalescing, proactive'],
  ]) {
    if (failed(key, title)) continue;
    const r = R[key];
    head(`${key === 'refresh' ? '3.' : '3b.'} Refresh coalescing: ${r.calls} concurrent calls from ${r.tabs} app tabs, ${r.firedWhen} (TTL ${r.accessTokenTTLs} s), ${r.bursts.length} bursts`);
    const maxTok = Math.max(...r.tokenRequests);
    const when = r.bursts.map((b) => `[${b.worker.tokenRequestAtMs.join(', ')}]`).join(' ');
    row(`  token requests at the AS per burst (each: ${r.tokenRequests.join(', ')}; sent at ms after firing: ${when})`, f(median(r.tokenRequests), 0), f(maxTok, 0), 'req', '', '= 1', yn(maxTok === 1));
    const d = r.allAnsweredMs.direct;
    row('  until all answered, worker (refresh included)', f(r.allAnsweredMs.worker.median, 1), f(r.allAnsweredMs.worker.p95, 1), 'ms', d ? `${f(r.allAnsweredMs.worker.median / d.median, 2)}x` : '');
    if (d) row('  until all answered, direct (valid token, 3 uncontrolled tabs)', f(d.median, 1), f(d.p95, 1), 'ms');
    const b0 = r.bursts.map((b) => b.worker);
    row(`  failed calls ${b0.map((b) => b.failed).join('/')}, 401s at MCP ${b0.map((b) => b.mcp401).join('/')}, CORS preflights ${b0.map((b) => b.mcpPreflights).join('/')}`, '', '');
    row(`  then ${r.sequentialAfterRefresh.calls} sequential calls: token requests`, f(r.sequentialAfterRefresh.tokenRequests, 0), '', 'req', '', key === 'refresh' ? '(expect 0: margin is half a short token’s life)' : '');
  }

  if (!failed('connect', '4. Connect')) {
    const c = R.connect;
    head(`4. Connect (protocol 2026-07-28, dynamic registration, auto-approving AS); ${c.first.runs.length} fresh profiles, ${c.returning.runs.length} reloads`);
    row('  first time: Connect pressed → tools listed', f(c.first.ms.median, 0), f(c.first.ms.p95, 0), 'ms');
    row('    of which Connect → "Needs authorization"', f(c.first.toNeedsAuthorizationMs.median, 0), f(c.first.toNeedsAuthorizationMs.p95, 0), 'ms');
    row('    of which Authorize pressed → tools listed', f(c.first.authorizeToToolsMs.median, 0), f(c.first.authorizeToToolsMs.p95, 0), 'ms');
    row(`  minimum counted against: ${c.minimumFirst.join(' → ')}`, '', '');
    row(`  first time: HTTP requests at AS + MCP (spec minimum ${c.minimumFirst.length})`, f(c.first.requests.median, 0), f(c.first.requests.p95, 0), 'req', `${f(c.first.requests.median / c.minimumFirst.length, 2)}x`);
    row('    of which CORS preflights / AS-internal interaction / extra', `${f(c.first.preflights.median, 0)} / ${f(c.first.asInteraction.median, 0)} / ${f(c.first.extra.median, 0)}`, '');
    const r0 = c.first.runs[0]?.requests;
    if (r0) {
      if (r0.missing.length) row(`    missing from the minimum: ${r0.missing.join(', ')}`, '', '');
      row(`    extra: ${r0.extra.join('; ') || 'none'}`, '', '');
      row(`    preflights: ${r0.preflights.join('; ') || 'none'}`, '', '');
      row(`    AS interaction: ${r0.asInteraction.map((x) => x.replace(/\/[A-Za-z0-9_-]{20,}/, '/…')).join('; ') || 'none'}`, '', '');
      if (r0.serverIntrospection.length) row(`    not counted (MCP server → AS): ${r0.serverIntrospection.join('; ')}`, '', '');
    }
    if (Number.isFinite(R.firstConnectRequests)) row('  first time: HTTP requests without the AS’s login and consent pages', f(R.firstConnectRequests, 0), '', 'req', '', '≤ 12', yn(R.firstConnectRequests <= 12));
    row('  returning (reload, token held): navigation → tools listed', f(c.returning.ms.median, 0), f(c.returning.ms.p95, 0), 'ms');
    row(`  returning: HTTP requests (spec minimum ${c.minimumReturning.length})`, f(c.returning.requests.median, 0), f(c.returning.requests.p95, 0), 'req', `${f(c.returning.requests.median / c.minimumReturning.length, 2)}x`, '≤ 2', yn(c.returning.requests.median <= 2));
    const rr = c.returning.runs[0]?.requests;
    if (rr) row(`    extra: ${rr.extra.join('; ') || 'none'}; preflights: ${rr.preflights.join('; ') || 'none'}`, '', '');
  }

  if (R.coldstart || R.connect?.firstVisitReadyMs) {
    head('5. Cold start');
    if (R.connect?.firstVisitReadyMs) {
      const s = summaryOf(R.connect.firstVisitReadyMs);
      row(`  first visit (fresh profile, worker installs): navigation → add form enabled (n=${s.n})`, f(s.median, 0), f(s.p95, 0), 'ms');
    }
    const c = R.coldstart;
    if (c && !c.error) {
      row(`  repeat visit: navigation → add form enabled (n=${c.repeatVisit.readyMs.n})`, f(c.repeatVisit.readyMs.median, 0), f(c.repeatVisit.readyMs.p95, 0), 'ms');
      row('  repeat visit: navigation → server card connected, tools listed', f(c.repeatVisit.cardConnectedMs.median, 0), f(c.repeatVisit.cardConnectedMs.p95, 0), 'ms');
      row(`  first call answered by a stopped worker (keep signed in; n=${c.stoppedWorkerCallMs.n})`, f(c.stoppedWorkerCallMs.median, 1), f(c.stoppedWorkerCallMs.p95, 1), 'ms', `${f(c.stoppedRatio.median, 2)}x`);
      row('  same call, worker running', f(c.runningWorkerCallMs.median, 1), f(c.runningWorkerCallMs.p95, 1), 'ms');
    } else if (c?.error) row(`  failed: ${c.error.split('\n')[0].slice(0, 110)}`, '', '');
  }

  if (!failed('size', '6. Size')) {
    const s = R.size;
    head('6. Size of the first load: JS and CSS fetched, raw and gzip -9 (one measurement: the columns hold raw and gzip)');
    for (const p of s.pageFiles) row(`  ${p.path}`, `raw ${kb(p.raw)}`, `gz ${kb(p.gzip)}`);
    row('  page JS + CSS', `raw ${kb(s.page.raw)}`, `gz ${kb(s.page.gzip)}`);
    row(`  ${s.sw.path} alone`, `raw ${kb(s.sw.raw)}`, `gz ${kb(s.sw.gzip)}`);
    const target = s.firstLoadTargetKB ?? 90;
    row('  first load, page JS + CSS + worker script', `raw ${kb(s.firstLoad.raw)}`, `gz ${kb(s.firstLoad.gzip)}`, '', '', `≤ ${target} KB gzip`, yn(s.firstLoad.gzip <= target * 1024));
    sizeChunkRows(s, row, head);
  }

  if (!failed('dpop', '7. DPoP')) {
    const d = R.dpop;
    head('7. DPoP (both through the worker: DPoP-bound tokens against Bearer tokens, alternated)');
    row('  one proof in Chromium (ES256 sign + SHA-256 ath, non-extractable key)', f(d.proofMs.median, 3), f(d.proofMs.p95, 3), 'ms');
    row(`  MCP call, DPoP (n=${d.callLatencyMs.dpop.n})`, f(d.callLatencyMs.dpop.median), f(d.callLatencyMs.dpop.p95), 'ms');
    row(`  MCP call, Bearer (n=${d.callLatencyMs.bearer.n})`, f(d.callLatencyMs.bearer.median), f(d.callLatencyMs.bearer.p95), 'ms');
    row('  latency ratio DPoP/Bearer', f(d.latencyRatio.median, 3), f(d.latencyRatio.p95, 3), 'x', '', '≤ 1.15 (median)', yn(d.latencyRatio.median <= 1.15));
  }
  speedRows(R, { row, head, f, kb, yn });
  return { rows, notes };
}

/** Every chunk of the build, by name and gzip size, and when the page fetches it; then the whole way to a tool list. */
function sizeChunkRows(s, row, head) {
  if (!s.chunks) return;
  head('6b. Every chunk of the page build (gzip -9), and when the page fetches it');
  for (const c of s.chunks) row(`  ${c.path} (${c.when})`, `raw ${kb(c.raw)}`, `gz ${kb(c.gzip)}`);
  if (s.toConnectedTools) {
    row('  everything to a connected tool list (page JS + CSS + worker script)', `raw ${kb(s.toConnectedTools.raw)}`, `gz ${kb(s.toConnectedTools.gzip)}`);
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = (s.length - 1) / 2;
  return (s[Math.floor(m)] + s[Math.ceil(m)]) / 2;
}

function summaryOf(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => {
    const pos = (s.length - 1) * p;
    return s[Math.floor(pos)] + (s[Math.ceil(pos)] - s[Math.floor(pos)]) * (pos - Math.floor(pos));
  };
  return { n: s.length, median: q(0.5), p95: q(0.95) };
}

export function printTable(R, out = console.log) {
  const { rows, notes } = buildRows(R);
  const header = ['Figure', 'median', 'p95', 'unit', 'ratio', 'target', 'within'];
  const data = rows.filter((r) => r.length > 1);
  const w = header.map((h, i) => Math.max(h.length, ...data.map((r) => String(r[i] ?? '').length)));
  w[0] = Math.min(w[0], 92);
  const line = (r) =>
    r
      .map((c, i) => {
        const s = String(c ?? '');
        return i === 0 ? s.padEnd(w[0]) : s.padStart(i >= 4 ? Math.max(w[i], 0) : w[i]);
      })
      .join('  ')
      .trimEnd();
  out(line(header));
  out(w.map((n) => '─'.repeat(n)).join('  '));
  for (const r of rows) out(r.length === 1 ? `\n${r[0]}` : line(r));
  if (notes.length) {
    out('');
    for (const n of notes) out(`note: ${n}`);
  }
}
