// Small statistics: every figure is printed as median and p95.

/** @param {number[]} xs @param {number} q 0..1, linear interpolation between closest ranks */
export function quantile(xs, q) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/** @param {number[]} xs */
export function summary(xs) {
  return { n: xs.length, median: quantile(xs, 0.5), p95: quantile(xs, 0.95), p5: quantile(xs, 0.05), min: quantile(xs, 0), max: quantile(xs, 1) };
}

export const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : NaN);

/** Wall-clock milliseconds with sub-millisecond resolution, comparable with a page's `performance.timeOrigin + performance.now()`. */
export const wallNow = () => performance.timeOrigin + performance.now();

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
