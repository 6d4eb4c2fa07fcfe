/**
 * Core benchmark: serving evaluations per second on one core and the time of a 1,000,000-point
 * sweep. One evaluation = one prefill step + one decode step (TTFT, ITL, throughput) of a prepared
 * model × GPU × TP configuration (`serveThroughput`, allocation-free), as a lab slider would
 * recompute it.
 */
import { lookupGpu, lookupTransformer, prepare, serveFrom, serveThroughput } from "../core/mod.ts";

function evalsPerSec(n: number, body: (i: number) => number): number {
  let sink = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sink += body(i);
  const ms = performance.now() - t0;
  if (!Number.isFinite(sink)) throw new Error("non-finite benchmark result");
  return n / (ms / 1e3);
}

/** Run the core benchmarks; returns named figures. */
export function benchCore(): Promise<Record<string, number>> {
  const p = prepare(lookupTransformer("llama-3.1-70b"), lookupGpu("h100-sxm"), 8);
  const moe = prepare(lookupTransformer("mixtral-8x7b"), lookupGpu("h100-sxm"), 2);
  // Warm up the JIT.
  evalsPerSec(200_000, (i) => serveThroughput(p, 1 + (i & 127), 512 + (i & 1023), 128));
  const dense = evalsPerSec(
    2_000_000,
    (i) => serveThroughput(p, 1 + (i & 127), 512 + (i & 1023), 128),
  );
  const sparse = evalsPerSec(
    1_000_000,
    (i) => serveThroughput(moe, 1 + (i & 127), 512 + (i & 1023), 128),
  );
  const full = evalsPerSec(300_000, (i) => serveFrom(p, 1 + (i & 63), 1024, 256).itlS);

  // 1,000,000-point sweep: 1000 batch sizes × 1000 prompt lengths.
  const t0 = performance.now();
  let best = 0;
  for (let b = 1; b <= 1000; b++) {
    for (let s = 1; s <= 1000; s++) {
      const t = serveThroughput(p, b, s * 32, 256);
      if (t > best) best = t;
    }
  }
  const sweepMs = performance.now() - t0;
  if (!(best > 0)) throw new Error("sweep produced no throughput");
  return Promise.resolve({
    serve_evals_per_sec: Math.round(dense),
    serve_evals_per_sec_moe: Math.round(sparse),
    serve_full_result_evals_per_sec: Math.round(full),
    sweep_1m_points_ms: Math.round(sweepMs * 10) / 10,
  });
}

if (import.meta.main) console.log(JSON.stringify(await benchCore()));
