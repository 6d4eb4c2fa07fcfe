// The optimization ladder: anchored on gpt-fast's measured eager baseline, ends at the engine's
// calibrated step, and each rung moves only the component it targets.
import { assert, assertEquals, assertWithin } from "../_assert.ts";
import {
  amdahl,
  decodeStepTime,
  lookupGpu,
  lookupTransformer,
  optimizationLadder,
  prefillTime,
  prepare,
  type RungId,
  RUNGS,
} from "../../../core/mod.ts";

const p7 = prepare(lookupTransformer("llama-2-7b"), lookupGpu("a100-80gb"), 1);

Deno.test("ladder: eager Llama-2-7B on A100-80GB decodes at gpt-fast's 25.5 tok/s; fusion + graphs ≈ 4×", () => {
  const l = optimizationLadder(p7, { phase: "decode", batch: 1, tokens: 100 });
  assertWithin(1 / l.baseline.timeS, 25.5, 0.01, "eager tok/s");
  assertEquals(l.baseline.bound, "overhead");
  const graphs = l.rungs.find((r) => r.id === "cuda-graphs")!;
  const speedup = l.baseline.timeS / graphs.after.timeS;
  // gpt-fast: 107 tok/s with torch.compile (≈ 4.2×); we reach 3.7× (96 tok/s).
  assert(speedup > 3.3 && speedup < 4.6, `speedup ${speedup}`);
  assertEquals(graphs.after.bound, "bandwidth");
});

Deno.test("ladder: after FlashAttention, fusion and CUDA graphs the step is the engine's step", () => {
  for (
    const [m, g, tp] of [["llama-3.1-8b", "h100-sxm", 1], ["llama-3.1-70b", "h100-sxm", 8]] as const
  ) {
    const p = prepare(lookupTransformer(m), lookupGpu(g), tp);
    const d = optimizationLadder(p, { phase: "decode", batch: 16, tokens: 1000 });
    assertWithin(d.rungs[2].after.timeS, decodeStepTime(p, 16, 1000).time, 1e-12, `${m} decode`);
    const f = optimizationLadder(p, { phase: "prefill", batch: 1, tokens: 2048 });
    assertWithin(f.rungs[2].after.timeS, prefillTime(p, 1, 2048).time, 1e-12, `${m} prefill`);
  }
});

Deno.test("ladder: FlashAttention matters only where score traffic binds (long prefill)", () => {
  const p = prepare(lookupTransformer("llama-3.1-8b"), lookupGpu("h100-sxm"), 1);
  const dec = optimizationLadder(p, { phase: "decode", batch: 1, tokens: 512 });
  assert(dec.rungs[0].speedup < 1.01, `decode ${dec.rungs[0].speedup}`);
  const long = optimizationLadder(p, { phase: "prefill", batch: 1, tokens: 32768 });
  assertEquals(long.baseline.bound, "bandwidth");
  assert(long.rungs[0].speedup > 2, `32k prefill ${long.rungs[0].speedup}`);
  // Each rung's measured speedup respects its Amdahl bound.
  for (const l of [dec, long]) {
    for (const r of l.rungs) assert(r.speedup <= r.amdahlLimit * (1 + 1e-9), `${r.id}`);
  }
});

Deno.test("ladder: FP8 halves compute-bound prefill GEMMs on H100; overlap is a no-op at tp 1", () => {
  const p = prepare(lookupTransformer("llama-3.1-8b"), lookupGpu("h100-sxm"), 1);
  const l = optimizationLadder(p, { phase: "prefill", batch: 4, tokens: 2048 });
  const fp8 = l.rungs[3];
  assertEquals(fp8.id, "fp8");
  // H100 SXM dense FP8 / BF16 peaks: 1979 / 989 TFLOP/s.
  assertWithin(fp8.after.computeS, l.rungs[2].after.computeS / 2, 2e-3, "FP8 compute");
  assertEquals(l.rungs[4].changed, false);
  assertEquals(l.stopAt, 4);
  assert(l.stopReason !== null && l.stopReason.includes("compute-bound"), l.stopReason ?? "");
});

Deno.test("ladder: overlap hides TP all-reduces; the stop rule fires once no rung can gain 5 %", () => {
  const p = prepare(lookupTransformer("llama-3.1-70b"), lookupGpu("h100-sxm"), 8);
  const l = optimizationLadder(p, { phase: "decode", batch: 64, tokens: 2048 });
  const ov = l.rungs[4];
  assert(ov.changed && ov.after.commS < l.rungs[3].after.commS);
  // Climbing the gains-free part of a ladder: CUDA graphs first on a compute-bound prefill.
  const q = optimizationLadder(p, {
    phase: "prefill",
    batch: 8,
    tokens: 1024,
    order: ["flash-attention", "kernel-fusion", "cuda-graphs"],
  });
  assert(q.stopAt <= q.rungs.length);
  assertEquals(amdahl(0.5, Infinity), 2);
  assertWithin(amdahl(0.8, 2), 1 / 0.6, 1e-12);
});

Deno.test("ladder: in every order of the five rungs, no rung beats its Amdahl bound", () => {
  // Kernel fusion after CUDA graphs still removes the graph's per-kernel gaps; its bound once
  // left them out (70B decode: measured 1.48× against a "bound" of 1.04×).
  const perms = (a: readonly RungId[]): RungId[][] =>
    a.length <= 1
      ? [[...a]]
      : a.flatMap((x, i) => perms([...a.slice(0, i), ...a.slice(i + 1)]).map((r) => [x, ...r]));
  const cases = [
    [prepare(lookupTransformer("llama-3.1-8b"), lookupGpu("h100-sxm"), 1), "decode", 1, 1024],
    [prepare(lookupTransformer("llama-3.1-70b"), lookupGpu("h100-sxm"), 8), "decode", 64, 2048],
    [prepare(lookupTransformer("llama-3.1-70b"), lookupGpu("h100-sxm"), 8), "prefill", 1, 32768],
  ] as const;
  for (const [p, phase, batch, tokens] of cases) {
    for (const order of perms(RUNGS)) {
      const l = optimizationLadder(p, { phase, batch, tokens, order });
      for (const r of l.rungs) {
        assert(
          r.speedup <= r.amdahlLimit * (1 + 1e-9),
          `${p.model.name} ${phase} ${order.join(">")}: ${r.id} ${r.speedup} > ${r.amdahlLimit}`,
        );
      }
    }
  }
});
