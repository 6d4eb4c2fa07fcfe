/**
 * Percentiles and histograms of simulated latencies.
 *
 * Percentile: nearest rank on the sorted sample, `x_(⌈q·n⌉)` (Hyndman & Fan 1996, definition 1).
 *
 * @module
 */

/** Mean and percentiles of a sample, seconds. */
export interface LatencySummary {
  meanS: number;
  p50S: number;
  p90S: number;
  p95S: number;
  p99S: number;
  p999S: number;
  maxS: number;
}

/** Nearest-rank quantile `q` of an ascending sample. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const i = Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1));
  return sorted[i];
}

/** Sort `values` in place and summarise them. */
export function summarize(values: Float64Array): LatencySummary {
  values.sort();
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return {
    meanS: sum / values.length,
    p50S: quantileSorted(values, 0.5),
    p90S: quantileSorted(values, 0.9),
    p95S: quantileSorted(values, 0.95),
    p99S: quantileSorted(values, 0.99),
    p999S: quantileSorted(values, 0.999),
    maxS: values[values.length - 1],
  };
}

/** Equal-width histogram over [0, maxS]; values above maxS land in `overflow`. */
export interface Histogram {
  /** bins + 1 edges, seconds. */
  edgesS: number[];
  counts: number[];
  overflow: number;
}

/** Histogram of `values` with `bins` equal bins on [0, maxS]. */
export function histogram(values: ArrayLike<number>, bins: number, maxS: number): Histogram {
  const counts = new Array<number>(bins).fill(0);
  let overflow = 0;
  const w = maxS / bins;
  for (let i = 0; i < values.length; i++) {
    const b = Math.floor(values[i] / w);
    if (b >= bins) overflow++;
    else counts[b < 0 ? 0 : b]++;
  }
  const edgesS = Array.from({ length: bins + 1 }, (_, i) => i * w);
  return { edgesS, counts, overflow };
}
