import { assert, assertEquals, assertThrows, assertWithin } from "../_assert.ts";
import { timeToTrain, timeToTrainFromStep } from "../../../core/training/mod.ts";
import { BLOOM_RUN, PTDP_VS_ZERO3 } from "../../../core/data/training-rows.ts";

const A100 = 312e12;

Deno.test("time to train: Narayanan §5.1 worked examples (34 and 84 days)", () => {
  // 175B, 300B tokens, 1024 GPUs at 140 TFLOP/s (full recompute): 34.73 d (+2.2 %).
  const a = timeToTrain({
    model: "megatron-gpt-175b",
    tokens: 300e9,
    seq: 2048,
    gpus: 1024,
    gpu: "a100-80gb",
    hfu: 140e12 / A100,
    recompute: "full",
  });
  assertWithin(a.days, 34, 0.03, "175B");
  // 1T, 450B tokens, 3072 GPUs at 163 TFLOP/s: 84.96 d (+1.1 %).
  const b = timeToTrain({
    model: "megatron-gpt-1008b",
    tokens: 450e9,
    seq: 2048,
    gpus: 3072,
    gpu: "a100-80gb",
    hfu: 163e12 / A100,
    recompute: "full",
  });
  assertWithin(b.days, 84, 0.02, "1T");
  assert(b.mfu < b.hfu, "MFU excludes the recomputed forward");
  assertWithin(b.gpuHours, b.seconds * 3072 / 3600, 1e-12);
});

Deno.test("time to train: Narayanan Table 2 'days for 300B tokens' B1–B12 within 1.5 %", () => {
  const days: Record<string, number> = {
    B1: 90,
    B2: 74,
    B3: 74,
    B4: 169,
    B5: 137,
    B6: 140,
    B7: 84,
    B8: 43,
    B9: 23,
    B10: 156,
    B11: 80,
    B12: 42,
  };
  let worst = 0;
  for (const r of PTDP_VS_ZERO3) {
    const t = timeToTrain({
      model: r.model,
      tokens: 300e9,
      seq: 2048,
      gpus: r.tp * r.pp * r.dp,
      gpu: "a100-80gb",
      hfu: r.tflopsPerGpu! * 1e12 / A100,
      recompute: "full",
    });
    worst = Math.max(worst, Math.abs(t.days / days[r.row] - 1));
  }
  assert(worst < 0.015, `worst ${worst}`); // B8: 43.51 d vs 43 (+1.2 %)
});

Deno.test("time to train: OPT-175B 33 days on 1024 A100 at 147 TFLOP/s", () => {
  const t = timeToTrain({
    model: "gpt-3-175b",
    tokens: 300e9,
    seq: 2048,
    gpus: 1024,
    gpu: "a100-80gb",
    hfu: 147e12 / A100,
    recompute: "full",
  });
  assertWithin(t.days, 33, 0.01); // 33.08 d
  assertWithin(t.hardwareFlops, 4.30e23, 0.03, "OPT's ~4.30e23 FLOPs");
});

Deno.test("time to train: BLOOM-176B from the predicted step, vs 109 days wall-clock", () => {
  const t = timeToTrainFromStep({ step: { ...BLOOM_RUN }, tokens: 325.0e9, pricePerGpuHour: 2 });
  // 77,487 steps × 103.7 s = 93.0 days: the wall-clock 109 d includes ramp-up and downtime
  // (step-level throughput is 86 % of it, row H3); goodput is not in this model.
  assertEquals(t.steps, 77487);
  assertWithin(t.days, 93.0, 0.01);
  assertWithin(t.costUSD!, 2 * t.gpuHours, 1e-12);
  assertEquals(t.gpus, 384);
});

Deno.test("time to train: Llama 3.1 405B GPU-hours at the reported 41 % MFU", () => {
  // 15.6T tokens at s = 8192 on H100 (989 TF), MFU 0.41 (16K-GPU row): 26.96M GPU-hours vs the
  // model card's 30.84M (−12.6 %; the card includes long-context training and downtime).
  const t = timeToTrain({
    model: "llama-3.1-405b",
    tokens: 15.6e12,
    seq: 8192,
    gpus: 16384,
    gpu: "h100-sxm",
    mfu: 0.41,
    causal: true,
  });
  assertWithin(t.gpuHours, 30.84e6, 0.14);
  assertWithin(t.sixNDFlops, 3.8e25, 0.01, "6ND = 3.8e25 (Llama 3 §3.2.1)");
  assert(t.attentionShare > 0.03 && t.attentionShare < 0.04);
});

Deno.test("time to train: bad inputs", () => {
  const base = { model: "llama-2-7b", tokens: 1e12, seq: 4096, gpus: 8, gpu: "h100-sxm" };
  assertThrows(() => timeToTrain(base), RangeError);
  assertThrows(() => timeToTrain({ ...base, mfu: 0.4, hfu: 0.5 }), RangeError);
  assertThrows(() => timeToTrain({ ...base, mfu: 1.5 }), RangeError);
  assertThrows(() => timeToTrain({ ...base, gpus: 0, mfu: 0.4 }), RangeError);
});
