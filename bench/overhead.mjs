// 1. Per-request overhead: small `tools/call echo` through the worker (the app's controlled page,
// connected through the real flow; the worker adds Authorization) against the same raw requests
// from an uncontrolled page on another origin carrying the token itself. The two variants run
// alternately, in rounds, so machine noise hits both.
import { echoBatch } from './page.mjs';
import { portEchoBatch } from './port-page.mjs';
import { quantile, ratio, summary } from './stats.mjs';

//
// A third, diagnostic variant splits the worker's cost in two: `passthrough` is the app's page
// sending the same requests, with the token, to the same server under another name
// (127.0.0.1 instead of localhost). The worker still intercepts them (cross-origin fetch from a
// controlled page) but holds no connection for that URL, so it only does
// `respondWith(fetch(request))`: the price of service worker interception itself, without
// Keyhole's proxy logic.
//
// A fourth, `port`, is the app's page sending the same calls over the port transport
// (src/app/port-fetch.ts): a message to the worker instead of a fetch event, answered by the
// same proxy code.

/**
 * @param {{ worker: import('playwright-core').Page, direct: import('playwright-core').Page, mcpUrl: string, token: string, n: number, minRounds: number, passthrough?: boolean, port?: boolean, mcpRequests: { method: string }[] }} o
 */
export async function measureOverhead({ worker, direct, mcpUrl, token, n, minRounds, passthrough = true, port = true, mcpRequests }) {
  const aliasUrl = mcpUrl.replace('//localhost:', '//127.0.0.1:');
  const variants = {
    worker: (args) => worker.evaluate(echoBatch, { url: mcpUrl, limited: true, ...args }),
    direct: (args) => direct.evaluate(echoBatch, { url: mcpUrl, token, ...args }),
    ...(passthrough ? { passthrough: (args) => worker.evaluate(echoBatch, { url: aliasUrl, token, ...args }) } : {}),
    ...(port ? { port: (args) => worker.evaluate(portEchoBatch, { url: mcpUrl, ...args }) } : {}),
  };
  const names = Object.keys(variants);
  let idBase = 1;
  // HTTP requests the MCP server received per variant (POSTs and CORS preflights), measured rounds only.
  const wire = Object.fromEntries(names.map((k) => [k, { POST: 0, OPTIONS: 0 }]));
  let counting = false;
  const run = async (name, count, concurrency) => {
    const from = mcpRequests.length;
    const r = await variants[name]({ n: count, concurrency, idBase });
    if (counting) for (const q of mcpRequests.slice(from)) if (q.method in wire[name]) wire[name][q.method]++;
    idBase += count;
    if (r.errors) throw new Error(`${name}: ${r.errors} of ${count} echo calls failed, first: ${r.firstError}`);
    return r;
  };

  // Warm-up: connections, CORS preflight caches, JIT, the introspection cache.
  for (const name of names) {
    await run(name, 40, 1);
    await run(name, 96, 32);
  }

  const out = {};
  counting = true;
  // Many short rounds rather than a few long ones: this machine's speed drifts over seconds, and
  // the variants differ by a few percent. With 10 rounds of 100 calls, four runs of one build put
  // worker/interception anywhere from 0.91 to 1.19; short rounds follow the drift far closer
  // (bench/ab.mjs, same build twice in 80 rounds: within 2%). With 32 in flight a round is two
  // waves of 32, so that it keeps 32 in flight for most of its length.
  for (const [mode, concurrency, callsPerRound] of [
    ['sequential', 1, 25],
    ['concurrent32', 32, 64],
  ]) {
    const per = Math.min(callsPerRound, n);
    const rounds = Math.max(minRounds, Math.round(n / per));
    const lat = Object.fromEntries(names.map((k) => [k, []]));
    const thr = Object.fromEntries(names.map((k) => [k, []]));
    const pairRatios = [];
    for (let r = 0; r < rounds; r++) {
      // Rotate, and reverse every other round, so no variant always runs first or after another.
      const rot = names.map((_, i) => names[(i + r) % names.length]);
      const order = r % 2 ? rot.reverse() : rot;
      const got = {};
      for (const name of order) {
        const res = await run(name, per, concurrency);
        lat[name].push(...res.lat);
        thr[name].push((per / res.elapsed) * 1000);
        got[name] = (per / res.elapsed) * 1000;
      }
      pairRatios.push(got.worker / got.direct);
    }
    const L = Object.fromEntries(names.map((k) => [k, summary(lat[k])]));
    const T = Object.fromEntries(names.map((k) => [k, summary(thr[k])]));
    out[mode] = {
      concurrency,
      requestsPerVariant: per * rounds,
      rounds,
      latencyMs: L,
      latencyRatio: { median: ratio(L.worker.median, L.direct.median), p95: ratio(L.worker.p95, L.direct.p95) },
      addedLatencyMs: { median: L.worker.median - L.direct.median, p95: L.worker.p95 - L.direct.p95 },
      throughputPerSec: T,
      throughputRatio: { median: ratio(T.worker.median, T.direct.median), pairedRoundsMedian: quantile(pairRatios, 0.5) },
      ...(L.passthrough
        ? {
            passthroughLatencyRatio: { median: ratio(L.passthrough.median, L.direct.median), p95: ratio(L.passthrough.p95, L.direct.p95) },
            passthroughThroughputRatio: { median: ratio(T.passthrough.median, T.direct.median) },
            workerOverInterception: { median: ratio(L.worker.median, L.passthrough.median), p95: ratio(L.worker.p95, L.passthrough.p95) },
          }
        : {}),
      ...(L.port
        ? {
            portOverWorker: { median: ratio(L.port.median, L.worker.median), p95: ratio(L.port.p95, L.worker.p95) },
            portThroughputOverWorker: { median: ratio(T.port.median, T.worker.median) },
          }
        : {}),
    };
  }
  out.serverRequests = wire;
  out.preflightsPer100Calls = Object.fromEntries(names.map((k) => [k, (100 * wire[k].OPTIONS) / Math.max(1, wire[k].POST)]));
  return out;
}
