/**
 * Fleet benchmark: wall time of the continuous-batching simulation (100,000 requests, as a lab
 * histogram recomputes it when a slider moves) and of a replica search, after a JIT warm-up.
 * Median of 5 runs at three loads of Llama-3.1-8B on one H100 (ISL 467 / OSL 256, exponential
 * outputs): light, moderate, and a batch-limited queue.
 */
import { lookupGpu, lookupTransformer, prepare, replicasFor, simulateServer } from "../core/mod.ts";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeMs(f: () => void, runs = 5): number {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  return Math.round(median(t) * 10) / 10;
}

/** Run the fleet benchmarks; returns named figures. */
export function benchFleet(): Promise<Record<string, number>> {
  const p = prepare(lookupTransformer("llama-3.1-8b"), lookupGpu("h100-sxm"), 1);
  const w = { prompt: 467, output: 256, outputCv: 1, requests: 100_000 };
  simulateServer(p, { ...w, qps: 8, requests: 20_000 });
  const sim = (qps: number, maxBatch = 256) =>
    timeMs(() => {
      const r = simulateServer(p, { ...w, qps, maxBatch });
      if (!(r.e2e.p99S > 0)) throw new Error("simulation produced no latency");
    });
  const light = sim(2), moderate = sim(16), queued = sim(3, 8);
  const worst = Math.max(light, moderate, queued);
  const search = timeMs(() => {
    replicasFor(p, { ...w, qps: 100, sloP99S: 15 });
  });
  return Promise.resolve({
    fleet_sim_100k_requests_ms: worst,
    fleet_sim_100k_light_ms: light,
    fleet_sim_100k_moderate_ms: moderate,
    fleet_sim_100k_queued_ms: queued,
    fleet_replicas_search_ms: search,
  });
}

if (import.meta.main) console.log(JSON.stringify(await benchFleet()));
