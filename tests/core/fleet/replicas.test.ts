// Replica counts: monotone in QPS and in the P99 target (fast-check), a latency floor, and a
// capacity failure when the model does not fit.
import fc from "fast-check";
import { assert, assertEquals } from "../_assert.ts";
import {
  lookupGpu,
  lookupTransformer,
  prepare,
  replicaLatency,
  replicasFor,
} from "../../../core/mod.ts";

const p8 = prepare(lookupTransformer("llama-3.1-8b"), lookupGpu("h100-sxm"), 1);
const base = { prompt: 467, output: 256, outputCv: 1 };

Deno.test("replicas: monotone non-decreasing in QPS, non-increasing in the P99 target", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 0.1, max: 2000, noNaN: true }),
      fc.double({ min: 0.1, max: 2000, noNaN: true }),
      fc.double({ min: 5, max: 60, noNaN: true }),
      fc.double({ min: 5, max: 60, noNaN: true }),
      fc.constantFrom<"e2e" | "ttft">("e2e", "ttft"),
      (q1, q2, s1, s2, metric) => {
        const [qa, qb] = q1 <= q2 ? [q1, q2] : [q2, q1];
        const [sa, sb] = s1 <= s2 ? [s1, s2] : [s2, s1];
        const slo = metric === "ttft" ? (x: number) => x / 100 : (x: number) => x;
        const r = (qps: number, s: number) =>
          replicasFor(p8, { ...base, qps, sloP99S: slo(s), metric }).replicas;
        return r(qa, sa) <= r(qb, sa) && r(qa, sb) <= r(qa, sa);
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("replicas: the plan meets the target, one replica fewer would not", () => {
  for (const qps of [5, 50, 400]) {
    const r = replicasFor(p8, { ...base, qps, sloP99S: 15 });
    assert(r.feasible && r.atPlan !== null);
    assert(r.atPlan.e2e.p99S <= 15, `P99 ${r.atPlan.e2e.p99S}`);
    if (r.replicas > 1) {
      const fewer = replicaLatency(p8, { ...base, qps: qps / (r.replicas - 1) });
      assert(!fewer.stable || fewer.e2e.p99S > 15 * 0.999, `qps ${qps}`);
    }
  }
});

Deno.test("replicas: below the idle P99 no count works (latency); a model that does not fit (capacity)", () => {
  const tight = replicasFor(p8, { ...base, qps: 10, sloP99S: 2 });
  assertEquals([tight.feasible, tight.bound, tight.replicas], [false, "latency", Infinity]);
  assert(tight.floorP99S > 2);
  const p70 = prepare(lookupTransformer("llama-3.1-70b"), lookupGpu("h100-sxm"), 1);
  const big = replicasFor(p70, { ...base, qps: 1, sloP99S: 100 });
  assertEquals([big.feasible, big.bound], [false, "capacity"]);
});
