import { assert, assertEquals, assertWithin } from "../_assert.ts";
import { TRAINING_RUNS } from "../../../core/data/training-runs.ts";
import { CLUSTERS, FABRICS } from "../../../core/data/clusters.ts";
import { TRAINING_TRANSFORMERS } from "../../../core/data/training-models.ts";
import { lookupGpu, lookupTransformer } from "../../../core/registry.ts";
import { paramCounts } from "../../../core/params.ts";
import { TransformerSchema } from "../../../core/schema/registry.ts";
import { lookupCluster, sixND, timeToTrain } from "../../../core/training/mod.ts";

Deno.test("training models validate; Narayanan Eq. 2 sizes reproduced", () => {
  for (const m of TRAINING_TRANSFORMERS) TransformerSchema.parse(m);
  // Table 1 prints 1.7 … 1008.0 B; Eq. 2 (+2h final LayerNorm) to the printed digit.
  const want: Record<string, number> = {
    "megatron-gpt-1.7b": 1.7,
    "megatron-gpt-7.5b": 7.5,
    "megatron-gpt-145.6b": 145.6,
    "megatron-gpt-529.6b": 529.6,
    "megatron-gpt-1008b": 1008.0,
  };
  for (const [id, b] of Object.entries(want)) {
    assertEquals(Math.round(paramCounts(lookupTransformer(id)).total / 1e8) / 10, b, id);
  }
  assertEquals(paramCounts(lookupTransformer("bloom-176b")).total, 176_247_271_424 - 28_672);
});

Deno.test("training runs: every model and GPU resolves; published sums", () => {
  const ids = new Set<string>();
  for (const r of TRAINING_RUNS) {
    assert(!ids.has(r.id), r.id);
    ids.add(r.id);
    lookupTransformer(r.model);
    if (r.gpu) lookupGpu(r.gpu);
    assert(r.source.length > 20 && r.tokens > 0 && r.seq > 0, r.id);
  }
  const hours = (p: string) =>
    TRAINING_RUNS.filter((r) => r.id.startsWith(p)).reduce((s, r) => s + (r.gpuHours ?? 0), 0);
  // The card's total 3,311,616 includes the unreleased 34B (1,038,336).
  assertEquals(hours("llama-2-"), 3_311_616 - 1_038_336);
  assertWithin(hours("llama-3.1-"), 39.3e6, 0.001);
  assertWithin(hours("llama-3-"), 7.7e6, 1e-9);
  for (
    const id of [
      "llama-2-7b",
      "llama-2-13b",
      "llama-2-70b",
      "llama-3-8b",
      "llama-3-70b",
      "llama-3.1-405b",
      "bloom-176b",
      "gpt-3-175b",
    ]
  ) lookupTransformer(id);
});

Deno.test("training runs: published FLOPs = 6ND; implied MFU from GPU-hours", () => {
  const gpt3 = TRAINING_RUNS.find((r) => r.id === "gpt-3-175b-run")!;
  // 6 × 174.6e9 (config count) × 300e9 = 3.14e23 (Table D.1).
  assertWithin(sixND(paramCounts(lookupTransformer(gpt3.model)).total, gpt3.tokens), 3.14e23, 0.01);
  const implied = (id: string) => {
    const r = TRAINING_RUNS.find((x) => x.id === id)!;
    const t = timeToTrain({
      model: r.model,
      tokens: r.tokens,
      seq: r.seq,
      gpus: 1,
      gpu: r.gpu!,
      mfu: 1,
      causal: true,
    });
    return t.gpuHours / r.gpuHours!;
  };
  // Llama 2 on A100: 7B 40.6 %, 13B 39.5 %, 70B 43.6 % — plausible Megatron-class MFUs.
  for (const id of ["llama-2-7b-run", "llama-2-13b-run", "llama-2-70b-run"]) {
    const m = implied(id);
    assert(m > 0.35 && m < 0.5, `${id} ${m}`);
  }
  // BLOOM: 1,082,990 GPU-hours for 366B tokens → MFU ≈ 30 % (with downtime and ramp-up).
  const bloom = implied("bloom-176b-run");
  assert(bloom > 0.25 && bloom < 0.35, `${bloom}`);
});

Deno.test("clusters: DGX A100 / DGX H100 nodes with NVLink and 8 IB NICs, sourced", () => {
  const a = lookupCluster("dgx-a100"), h = lookupCluster("dgx-h100");
  const fab = (id: string) => FABRICS.find((f) => f.id === id)!;
  assertEquals([a.gpusPerNode, a.nicsPerNode, h.gpusPerNode, h.nicsPerNode], [8, 8, 8, 8]);
  assertEquals([fab(a.intra).bytesPerS, fab(h.intra).bytesPerS], [300e9, 450e9]);
  assertEquals([fab(a.inter).kind, fab(h.inter).kind], ["infiniband", "infiniband"]);
  assertEquals([a.nicBytesPerS, h.nicBytesPerS], [25e9, 50e9]);
  assertEquals(lookupCluster("llama3-h100").inter, "roce-400");
  for (const c of CLUSTERS) {
    lookupGpu(c.gpu);
    assert(FABRICS.some((f) => f.id === c.intra) && FABRICS.some((f) => f.id === c.inter), c.id);
    assert(c.source.length > 20, c.id);
  }
});
