// TTFT's percentiles spread the waits behind other prefills and the decode step in flight
// (core/fleet/ttft_law.ts): the light-load P99 is no longer the mean, it agrees with the
// simulation (des.ts), and the law's mean is the replica model's mean exactly.
import { assert, assertWithin } from "../_assert.ts";
import {
  lookupGpu,
  lookupTransformer,
  mgcWait,
  prepare,
  replicaLatency,
  simulateServer,
  ttftCdf,
  ttftMean,
  ttftQuantile,
} from "../../../core/mod.ts";

const p8 = prepare(lookupTransformer("llama-3.1-8b"), lookupGpu("h100-sxm"), 1);

Deno.test("ttft law: closed-form pieces — deterministic, uniform residual, M/D/1 queue", () => {
  const none = { probWait: 0, drainRate: 1 };
  // Only the fixed part: every quantile is it.
  const fixed = { slot: none, prefillQueue: none, decodingShare: 0, stepS: 0.01, fixedS: 0.02 };
  assertWithin(ttftQuantile(fixed, 0.99), 0.02, 1e-9, "fixed");
  // A residual always in flight: uniform on [0, step], P50 at half a step.
  const r = { ...fixed, decodingShare: 1 };
  assertWithin(ttftQuantile(r, 0.5), 0.025, 1e-2, "uniform P50"); // 64 midpoints: ±½ cell
  assertWithin(ttftQuantile(r, 0.99), 0.0299, 1e-2, "uniform P99");
  // M/D/1 queue alone: P(Q > 0) = ρ, and the mean is Pollaczek–Khinchine's.
  const md1 = mgcWait(40, 0.0125, 1, 0);
  const q = { ...fixed, prefillQueue: md1 };
  assertWithin(1 - ttftCdf(q, 0.02 + 1e-12), 0.5, 1e-9, "P(wait) = ρ");
  assertWithin(ttftMean(q) - 0.02, 0.5 * 0.0125 / (2 * 0.5), 1e-12, "P-K mean");
  // Both exponentials at the same rate: the hypoexponential limit is continuous.
  const same = { ...q, slot: md1 };
  const a = ttftCdf(same, 0.05);
  const b = ttftCdf({ ...same, slot: { ...md1, drainRate: md1.drainRate * (1 + 1e-6) } }, 0.05);
  assertWithin(a, b, 1e-5, "equal rates");
});

Deno.test("ttft law: replica TTFT P99 within 12 % of the simulation at light load (was the mean)", () => {
  const o = { prompt: 512, output: 256, outputCv: 0.5 };
  for (const qps of [0.5, 5, 10, 20, 30]) {
    const a = replicaLatency(p8, { ...o, qps });
    const s = simulateServer(p8, { ...o, qps, requests: 30_000, seed: 3 });
    assertWithin(a.ttft.p99S, s.ttft.p99S, 0.12, `qps ${qps} TTFT P99`);
    // At ρ_prefill ≈ 0.37 (qps 30) the replica model's mean TTFT is itself 10 % low (it has no
    // batch-size fluctuation); the P50 follows it.
    if (qps <= 20) assertWithin(a.ttft.p50S, s.ttft.p50S, 0.10, `qps ${qps} TTFT P50`);
    assert(a.ttft.p99S > 1.15 * a.ttft.meanS, `qps ${qps}: P99 above the mean`);
  }
  // Slot waits (batch 8) still dominate the tail where they bind.
  const m = { prompt: 512, output: 128, outputCv: 1, maxBatch: 8 };
  for (const qps of [3, 5]) {
    const a = replicaLatency(p8, { ...m, qps });
    const s = simulateServer(p8, { ...m, qps, requests: 30_000, seed: 3 });
    assertWithin(a.ttft.p99S, s.ttft.p99S, 0.12, `batch 8, qps ${qps} TTFT P99`);
  }
});
