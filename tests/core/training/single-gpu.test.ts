/**
 * core/training/single-gpu.ts: one GPU with gradient accumulation is `trainStep` at
 * tp = pp = dp = 1 (same GEMM, elementwise and optimizer terms), accumulation costs no FLOPs,
 * recomputation costs what `flops.ts` says, and FP32 runs at the registry's FP32 peak.
 */
import assert from "node:assert/strict";
import { singleGpuStep } from "../../../core/training/single-gpu.ts";
import { trainStep } from "../../../core/training/step.ts";
import { lookupGpu } from "../../../core/mod.ts";

const near = (a: number, b: number, tol = 1e-9) =>
  assert.ok(Math.abs(a / b - 1) < tol, `${a} vs ${b}`);

Deno.test("single-gpu: equals trainStep at tp = pp = dp = 1 on a DGX H100", () => {
  for (const recompute of ["none", "selective", "full"] as const) {
    const t = trainStep({
      model: "llama-2-7b",
      cluster: "dgx-h100",
      tp: 1,
      pp: 1,
      dp: 1,
      seq: 2048,
      microBatch: 2,
      globalBatch: 16,
      recompute,
      convention: "megatron-bf16-18",
    });
    const s = singleGpuStep({
      model: "llama-2-7b",
      gpu: "h100-sxm",
      seq: 2048,
      microBatch: 2,
      accumulation: 8,
      recompute,
      convention: "megatron-bf16-18",
    });
    near(s.stepTimeS, t.stepTimeS);
    near(s.breakdown.gemm + s.breakdown.recompute, t.breakdown.gemm);
    near(s.breakdown.elementwise, t.breakdown.elementwise);
    near(s.breakdown.optimizer, t.breakdown.optimizer);
    near(s.hardwareFlopsPerStep, t.hardwareFlopsPerStep);
    near(s.mfu, t.mfu);
  }
});

Deno.test("single-gpu: accumulation is free in FLOPs; recomputation is not", () => {
  const base = {
    model: "llama-2-7b",
    gpu: "h100-sxm",
    seq: 2048,
    recompute: "selective",
  } as const;
  const a = singleGpuStep({ ...base, microBatch: 8, accumulation: 1 });
  const b = singleGpuStep({ ...base, microBatch: 1, accumulation: 8 });
  near(a.hardwareFlopsPerStep, b.hardwareFlopsPerStep);
  near(a.stepTimeS, b.stepTimeS, 1e-6); // linear in tokens in this model
  const full = singleGpuStep({ ...base, recompute: "full", microBatch: 1, accumulation: 8 });
  const none = singleGpuStep({ ...base, recompute: "none", microBatch: 1, accumulation: 8 });
  assert.equal(none.recomputeOverhead, 0);
  // Full recompute re-runs the forward: about a third more work (Narayanan Eq. 3: 96 vs 72).
  assert.ok(
    full.recomputeOverhead > 0.3 && full.recomputeOverhead < 0.34,
    `${full.recomputeOverhead}`,
  );
  assert.ok(b.recomputeOverhead > 0 && b.recomputeOverhead < 0.1);
  assert.ok(full.stepTimeS > b.stepTimeS && b.stepTimeS > none.stepTimeS);
});

Deno.test("single-gpu: FP32 runs at the FP32 peak; bad input is refused", () => {
  const fp32 = singleGpuStep({
    model: "llama-3.2-1b",
    gpu: "l4",
    seq: 2048,
    microBatch: 1,
    accumulation: 4,
    recompute: "selective",
    convention: "fp32-16",
  });
  assert.equal(fp32.peakFlopsPerS, lookupGpu("l4").peak.fp32);
  const bf16 = singleGpuStep({
    model: "llama-3.2-1b",
    gpu: "l4",
    seq: 2048,
    microBatch: 1,
    accumulation: 4,
    recompute: "selective",
  });
  assert.equal(bf16.peakFlopsPerS, lookupGpu("l4").peak.bf16);
  assert.ok(fp32.stepTimeS > 2 * bf16.stepTimeS); // 30.3 vs 121 TFLOP/s GEMMs, 2× the activation bytes
  assert.throws(
    () =>
      singleGpuStep({
        ...{ model: "llama-2-7b", gpu: "h100-sxm", seq: 2048 },
        microBatch: 0,
        accumulation: 1,
        recompute: "none",
      }),
    /microBatch must be a whole number/,
  );
});

Deno.test("registry: Llama-3.2-1B is config-exact (1,235,814,400 parameters, tied embeddings)", async () => {
  const { lookupTransformer, paramCounts } = await import("../../../core/mod.ts");
  const p = paramCounts(lookupTransformer("llama-3.2-1b"));
  assert.equal(p.total, 1_235_814_400);
  assert.equal(p.lmHead, 0);
});
