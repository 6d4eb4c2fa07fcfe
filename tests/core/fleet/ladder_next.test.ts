// What is left on the ladder: every unclimbed rung's Amdahl bound holds its real gain, and the
// stop rule fires exactly when no bound reaches 5 %.
import { assert, assertEquals, assertWithin } from "../_assert.ts";
import {
  lookupGpu,
  lookupTransformer,
  nextRungs,
  optimizationLadder,
  prepare,
  RUNGS,
} from "../../../core/mod.ts";

const p8 = prepare(lookupTransformer("llama-3.1-8b"), lookupGpu("h100-sxm"), 1);
const decode = { phase: "decode" as const, batch: 1, tokens: 1024 };

Deno.test("nextRungs: from the eager step every rung is left, and bounds hold the real gains", () => {
  const n = nextRungs(p8, decode, []);
  assertEquals(n.rungs.map((r) => r.id), [...RUNGS]);
  for (const r of n.rungs) {
    assert(r.speedup <= r.amdahlLimit * (1 + 1e-9), `${r.id} ${r.speedup} > ${r.amdahlLimit}`);
    const alone = optimizationLadder(p8, { ...decode, order: [r.id] });
    assertWithin(r.speedup, alone.totalSpeedup, 1e-12, r.id);
  }
  // Eager batch-1 decode is launch-bound: CUDA graphs' bound is the largest.
  assertEquals(n.rungs.reduce((a, b) => a.amdahlLimit > b.amdahlLimit ? a : b).id, "cuda-graphs");
  assertEquals(n.stop, false);
});

Deno.test("nextRungs: the stop rule fires once fusion, graphs and FP8 are in (1 GPU: nothing left)", () => {
  const n = nextRungs(p8, decode, ["kernel-fusion", "cuda-graphs", "fp8"]);
  assertEquals(n.rungs.map((r) => r.id), ["flash-attention", "comm-overlap"]);
  assert(n.bestLimit < 1.05, `${n.bestLimit}`);
  assertEquals(n.stop, true);
  // Not before FP8: the step is bandwidth-bound and FP8 can still gain.
  const m = nextRungs(p8, decode, ["kernel-fusion", "cuda-graphs"]);
  assert(!m.stop && m.bestLimit > 1.5, `${m.bestLimit}`);
  // Repeats are ignored; all climbed: nothing left, bound 1, stop.
  assertEquals(nextRungs(p8, decode, ["fp8", "fp8"]).rungs.length, 4);
  const all = nextRungs(p8, decode, RUNGS);
  assertEquals([all.rungs.length, all.bestLimit, all.stop], [0, 1, true]);
});
