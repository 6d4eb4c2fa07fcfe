import { assert, assertEquals, assertThrows } from "./_assert.ts";
import {
  kvBytesPerToken,
  listGpus,
  listModels,
  lookupGpu,
  lookupModel,
  lookupTransformer,
  paramCounts,
  peakData,
  peakFlops,
  UnknownIdError,
  weightsMemory,
} from "../../core/mod.ts";
import { validateRegistries } from "../../core/schema/registry.ts";
import { GpuSchema, TransformerSchema } from "../../core/schema/registry.ts";
import { ZodError } from "zod";

const MODEL_IDS = [
  "llama-3.1-8b",
  "llama-3-8b",
  "llama-3.1-70b",
  "llama-3.1-405b",
  "llama-2-7b",
  "llama-2-13b",
  "llama-2-70b",
  "mistral-7b",
  "mixtral-8x7b",
  "qwen2.5-7b",
  "qwen2.5-72b",
  "gemma-2-9b",
  "gemma-2-27b",
  "phi-3-mini",
  "gpt-3-175b",
  "deepseek-v3",
  "resnet-50",
  "mobilenet-v2",
  "llama-3.2-1b",
];
const GPU_IDS = [
  "h100-sxm",
  "h100-pcie",
  "h200",
  "a100-40gb",
  "a100-80gb",
  "l4",
  "l40s",
  "t4",
  "b200",
  "mi300x",
  "mi325x",
  "tpu-v5e",
  "tpu-v5p",
  "gaudi-3",
  "jetson-agx-orin",
  "jetson-orin-nx",
  "phone-npu",
  "cortex-m7",
];

Deno.test("registries validate against the zod schemas, ids unique", () => {
  validateRegistries(listModels(), listGpus());
  assertEquals(listModels().map((m) => m.id).sort(), [...MODEL_IDS].sort());
  assertEquals(listGpus().map((g) => g.id).sort(), [...GPU_IDS].sort());
});

Deno.test("schema rejects a bad entry naming the field", () => {
  const bad = { ...lookupTransformer("llama-3.1-8b"), kvHeads: 7 };
  const e = assertThrows(() => TransformerSchema.parse(bad), ZodError);
  assert(e.issues.some((i) => i.path.includes("kvHeads")));
  const g = { ...lookupGpu("h100-sxm"), bandwidth: -1 };
  const e2 = assertThrows(() => GpuSchema.parse(g), ZodError);
  assert(e2.issues.some((i) => i.path.includes("bandwidth")));
});

Deno.test("mlsysim aliases resolve", () => {
  assertEquals(lookupModel("Llama3_70B").id, "llama-3.1-70b");
  assertEquals(lookupModel("Llama3_8B").id, "llama-3-8b");
  assertEquals(lookupGpu("H100").id, "h100-sxm");
  assertEquals(lookupGpu("A100").id, "a100-80gb");
  assertEquals(lookupGpu("h100_sxm").id, "h100-sxm");
  assertEquals(lookupModel("ResNet50").id, "resnet-50");
});

Deno.test("unknown ids list near matches", () => {
  const e = assertThrows(() => lookupModel("llama-3.1-7b"), UnknownIdError);
  assert(e.suggestions.includes("llama-3.1-8b"), e.message);
  assert(e.message.includes("Did you mean"));
  const g = assertThrows(() => lookupGpu("h100-sxm5"), UnknownIdError);
  assertEquals(g.suggestions[0], "h100-sxm");
  const m = assertThrows(() => lookupGpu("mi300"), UnknownIdError);
  assert(m.suggestions.includes("mi300x"));
});

// calibration.md C1: exact for every registry model it covers (rounded values to their digits).
Deno.test("C1 total params from config, exact", () => {
  assertEquals(paramCounts(lookupTransformer("llama-3.1-8b")).total, 8_030_261_248);
  assertEquals(paramCounts(lookupTransformer("llama-3-8b")).total, 8_030_261_248);
  assertEquals(paramCounts(lookupTransformer("llama-3.1-70b")).total, 70_553_706_496);
  const b3 = (id: string) => Math.round(paramCounts(lookupTransformer(id)).total / 1e6) / 1e3;
  assertEquals(b3("llama-2-7b"), 6.738);
  assertEquals(b3("llama-2-13b"), 13.016);
  assertEquals(b3("mistral-7b"), 7.242);
  assertEquals(b3("mixtral-8x7b"), 46.703);
  assertEquals(
    Math.round(paramCounts(lookupTransformer("mixtral-8x7b")).active / 1e7) / 1e2,
    12.88,
  );
  assertEquals(b3("qwen2.5-7b"), 7.616);
  assertEquals(b3("gemma-2-9b"), 9.242);
});

Deno.test("models.md totals for the other registry models", () => {
  const b3 = (id: string) => Math.round(paramCounts(lookupTransformer(id)).total / 1e6) / 1e3;
  assertEquals(b3("llama-3.1-405b"), 405.853);
  assertEquals(b3("llama-2-70b"), 68.977);
  assertEquals(b3("qwen2.5-72b"), 72.706);
  assertEquals(b3("gemma-2-27b"), 27.227);
  assertEquals(b3("phi-3-mini"), 3.821);
  assertEquals(Math.round(paramCounts(lookupTransformer("gpt-3-175b")).total / 1e8) / 10, 174.6);
  const ds = paramCounts(lookupTransformer("deepseek-v3"));
  assertEquals(Math.round(ds.total / 1e9), 671); // paper: 671 B
  assertEquals(Math.round(ds.active / 1e9), 38); // paper: "37 B activated" (37.55 B)
});

// calibration.md C2, exact.
Deno.test("C2 KV bytes per token at 16-bit, exact", () => {
  assertEquals(kvBytesPerToken("llama-3.1-8b"), 131_072);
  assertEquals(kvBytesPerToken("llama-3.1-70b"), 327_680);
  assertEquals(kvBytesPerToken("llama-3.1-405b"), 516_096);
  assertEquals(kvBytesPerToken("llama-2-13b"), 819_200);
  assertEquals(kvBytesPerToken("qwen2.5-7b"), 57_344);
  assertEquals(kvBytesPerToken("gemma-2-9b"), 344_064);
  assertEquals(kvBytesPerToken("deepseek-v3"), 70_272);
  assertEquals(kvBytesPerToken("gemma-2-27b"), 376_832);
  assertEquals(kvBytesPerToken("phi-3-mini"), 393_216);
  assertEquals(kvBytesPerToken("llama-2-7b"), 524_288);
});

Deno.test("weights per precision and MoE total vs active", () => {
  assertEquals(weightsMemory("llama-3.1-8b", "bf16").totalBytes, 16_060_522_496);
  assertEquals(weightsMemory("llama-3.1-8b", "int4").totalBytes, 4_015_130_624);
  assertEquals(weightsMemory("llama-3.1-8b", "fp32").totalBytes, 32_121_044_992);
  const mx = weightsMemory("mixtral-8x7b", "bf16");
  assertEquals(Math.round(mx.totalBytes / 1e8) / 10, 93.4); // models.md: 93.4 GB
  assert(mx.activeBytes < mx.totalBytes / 3.5);
  assertEquals(Math.round(weightsMemory("deepseek-v3").totalBytes / 1e9), 671); // FP8 native
});

Deno.test("dense and sparse peaks kept apart (DESIGN §6)", () => {
  const h = lookupGpu("h100-sxm");
  assertEquals(h.peak.bf16, 989.4e12);
  assertEquals(h.sparsePeak!.bf16, 1979e12);
  assertEquals(h.memoryBytes, 80e9);
  assertEquals(lookupGpu("a100-40gb").runtimeMemoryBytes, 39.5 * 2 ** 30);
});

Deno.test("registry peaks come from datasheets: no FP32 invented as BF16/4 (B200 80 TF; TPU v5e/v5p and Gaudi 3: no data)", () => {
  const b200 = lookupGpu("b200");
  assertEquals(peakFlops(b200, "fp32"), 80e12);
  assertEquals(peakData(b200, "fp32").kind, "native");
  for (const id of ["tpu-v5e", "tpu-v5p", "gaudi-3"]) {
    const g = lookupGpu(id);
    assert(Number.isNaN(peakFlops(g, "fp32")), id);
    assertEquals(peakData(g, "fp32").kind, "none");
    assert(/no FP32 figure on record/.test(peakData(g, "fp32").note));
  }
  // FP8 on a part without FP8 units runs at the BF16 peak, and says so.
  const a100 = lookupGpu("a100-80gb");
  assertEquals(peakFlops(a100, "fp8"), a100.peak.bf16);
  assertEquals(peakData(a100, "fp8").note, "no FP8 units: runs at the BF16 peak");
  // No GPU's FP32 entry is the old invented BF16 / 4.
  for (const g of listGpus()) {
    if (g.peak.fp32 !== undefined && g.tier === "cloud") {
      assert(g.peak.fp32 !== g.peak.bf16 / 4, g.id);
    }
  }
  // Cortex-M7's SRAM bandwidth is derived from its 64-bit DTCM at 480 MHz, and says so.
  const m7 = lookupGpu("cortex-m7");
  assertEquals(m7.bandwidth, 480e6 * 8);
  assert(/derived, not measured/.test(m7.source) && m7.unverified === true);
});
