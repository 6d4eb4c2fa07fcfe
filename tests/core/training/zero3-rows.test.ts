// ZeRO-3 rows B1–B6 (Narayanan Table 2): the mechanisms docs/training-core.md weighs, re-computed.
import { assert } from "../_assert.ts";
import { PTDP_VS_ZERO3 } from "../../../core/data/training-rows.ts";
import { paramCounts } from "../../../core/params.ts";
import { lookupTransformer } from "../../../core/registry.ts";
import {
  collectiveTime,
  fitOf,
  INTER_HOP_LATENCY_S,
  lookupCluster,
  trainStep,
} from "../../../core/training/mod.ts";

const fit = fitOf(lookupCluster("dgx-a100"));

function analyse() {
  return PTDP_VS_ZERO3.slice(0, 6).map((r) => {
    const s = trainStep({ ...r });
    const hw = s.hardwareFlopsPerStep / s.gpus;
    const measured = hw / (r.tflopsPerGpu! * 1e12);
    const n = s.gpus, S = paramCounts(lookupTransformer(r.model)).total * 2;
    const coll = (op: "all-gather" | "reduce-scatter") =>
      collectiveTime({ op, bytes: S, ranks: n, ranksPerNode: 8, fit }).timeS;
    const notOverlapped = s.stepTimeS + 3 * coll("all-gather") + coll("reduce-scatter");
    const perGpuNic = Math.max(s.stepTimeS, 4 * S * (n - 1) / n / fit.inter!.perGpuBw);
    const err = (t: number) => measured / t - 1; // TFLOP/s: predicted ÷ measured − 1
    return {
      row: r.row,
      measured,
      model: err(s.stepTimeS),
      m1: err(notOverlapped),
      m3: err(perGpuNic),
    };
  });
}

Deno.test("ZeRO-3 B1–B6: the default model is 46–378 % optimistic in TFLOP/s", () => {
  const a = analyse();
  const model = a.map((x) => Math.round(x.model * 100));
  assert(JSON.stringify(model) === JSON.stringify([46, 139, 378, 59, 124, 358]), `${model}`);
  // The measured step saturates: B2 = B3 = 66.7 s, B5 ≈ B6 ≈ 180–184 s (a per-step floor).
  assert(Math.abs(a[1].measured - a[2].measured) < 0.1);
  assert(Math.abs(a[4].measured / a[5].measured - 1) < 0.03);
});

Deno.test("ZeRO-3 B1–B6: not overlapping the ring collectives is not enough; a per-GPU-NIC floor fits", () => {
  const a = analyse();
  const m1 = a.map((x) => Math.round(x.m1 * 100)), m3 = a.map((x) => Math.round(x.m3 * 100));
  assert(JSON.stringify(m1) === JSON.stringify([26, 80, 189, 36, 67, 170]), `${m1}`);
  assert(JSON.stringify(m3) === JSON.stringify([11, -9, -9, 15, -19, -18]), `${m3}`);
});

Deno.test("ZeRO-3 B1–B3: per-collective ring latency grows linearly in n (3 / 6 / 12 s)", () => {
  // ≈ 4 linears × L × 3 passes of all-gathers + 4 × L reduce-scatters, (n − 1) hops each.
  const L = 96, collectives = 16 * L;
  const added = [384, 768, 1536].map((n) =>
    Math.round((n - 1) * INTER_HOP_LATENCY_S * collectives)
  );
  assert(JSON.stringify(added) === JSON.stringify([3, 6, 12]), `${added}`);
});
