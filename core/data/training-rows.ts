/**
 * Measured training runs the step-time model is fitted to and checked on
 * (reference/training.md §2-A, 2-B, 2-C, 2-H). Where a row does not state a setting, the value
 * used is marked in `assumed`. All runs: s = 2048, A100-80GB on Selene unless noted.
 *
 * @module
 */
import type { Recompute } from "../training/activations.ts";
import type { ZeroStage } from "../training/zero.ts";
import type { Convention } from "../training/states.ts";

/** One measured run: its layout and the measured step time (s) or achieved TFLOP/s per GPU. */
export interface TrainingRow {
  row: string;
  model: string;
  cluster: string;
  tp: number;
  pp: number;
  dp: number;
  vpp: number;
  sp: boolean;
  microBatch: number;
  globalBatch: number;
  seq: number;
  recompute: Recompute;
  zeroStage: ZeroStage;
  convention: Convention;
  /** Measured seconds per iteration. */
  stepTimeS: number;
  /** Measured (reported) TFLOP/s per GPU, when the row gives it. */
  tflopsPerGpu?: number;
  /** Settings the source does not give (our assumption). */
  assumed: string;
}

const A_ASSUMED = "microBatch 1; vpp 3 when L/p is a multiple of 3 (Korthikanti's 175B/530B " +
  "runs), else 1; DP all-reduce not overlapped; fp32 main grads (18 B/param, §1.1 cross-check)";

function a(
  row: string,
  model: string,
  tp: number,
  pp: number,
  dp: number,
  layers: number,
  gbs: number,
  tflops: number,
  iter: number,
): TrainingRow {
  const vpp = pp > 1 && (layers / pp) % 3 === 0 ? 3 : 1;
  return {
    row,
    model,
    cluster: "dgx-a100",
    tp,
    pp,
    dp,
    vpp,
    sp: false,
    microBatch: 1,
    globalBatch: gbs,
    seq: 2048,
    recompute: "full",
    zeroStage: 0,
    convention: "megatron-bf16-18",
    stepTimeS: iter,
    tflopsPerGpu: tflops,
    assumed: A_ASSUMED,
  };
}

/** Narayanan Table 1 weak scaling (A1–A10); iteration time = Eq. 3 FLOPs ÷ (n · X). */
export const MEGATRON_WEAK_SCALING: readonly TrainingRow[] = [
  a("A1", "megatron-gpt-1.7b", 1, 1, 32, 24, 512, 137, 3.53),
  a("A2", "megatron-gpt-3.6b", 2, 1, 32, 30, 512, 138, 3.70),
  a("A3", "megatron-gpt-7.5b", 4, 1, 32, 36, 512, 142, 3.70),
  a("A4", "megatron-gpt-18.4b", 8, 1, 32, 40, 1024, 135, 9.40),
  a("A5", "megatron-gpt-39.1b", 8, 2, 32, 48, 1536, 138, 14.45),
  a("A6", "megatron-gpt-76.1b", 8, 4, 32, 60, 1792, 140, 16.06),
  a("A7", "megatron-gpt-145.6b", 8, 8, 24, 80, 2304, 148, 24.82),
  a("A8", "megatron-gpt-310.1b", 8, 16, 15, 96, 2160, 155, 37.61),
  a("A9", "megatron-gpt-529.6b", 8, 35, 9, 105, 2520, 163, 54.08),
  a("A10", "megatron-gpt-1008b", 8, 64, 6, 128, 3072, 163, 102.63),
];

function c(
  row: string,
  model: string,
  pp: number,
  vpp: number,
  mbs: number,
  gbs: number,
  full: number,
  seqSel: number,
): TrainingRow[] {
  const base = {
    model,
    cluster: "dgx-a100",
    tp: 8,
    pp,
    dp: 1,
    vpp,
    microBatch: mbs,
    globalBatch: gbs,
    seq: 2048,
    zeroStage: 0 as ZeroStage,
    convention: "megatron-bf16-18" as Convention,
    assumed: "configs from calculon's transcription (S6/S26)",
  };
  return [
    { ...base, row: `${row}-full`, sp: false, recompute: "full", stepTimeS: full },
    { ...base, row: `${row}-sel`, sp: true, recompute: "selective", stepTimeS: seqSel },
  ];
}

/** Korthikanti Table 5 (C1–C4): full recompute, and sequence parallel + selective recompute. */
export const KORTHIKANTI_ITERATIONS: readonly TrainingRow[] = [
  ...c("C1", "megatron-gpt-22b", 1, 1, 4, 4, 1.42, 1.10),
  ...c("C2", "megatron-gpt-175b", 8, 3, 1, 64, 18.13, 13.75),
  ...c("C3", "megatron-gpt-529.6b", 35, 3, 1, 280, 49.05, 37.83),
  ...c("C4", "megatron-gpt-1008b", 64, 1, 1, 512, 94.42, 71.49),
];

function b(
  row: string,
  model: string,
  zero: boolean,
  tp: number,
  pp: number,
  gpus: number,
  gbs: number,
  mbs: number,
  tflops: number,
): TrainingRow {
  const layers = model === "megatron-gpt-175b" ? 96 : 105;
  return {
    row,
    model,
    cluster: "dgx-a100",
    tp,
    pp,
    dp: gpus / (tp * pp),
    vpp: !zero && (layers / pp) % 3 === 0 ? 3 : 1,
    sp: false,
    microBatch: mbs,
    globalBatch: gbs,
    seq: 2048,
    recompute: "full",
    zeroStage: zero ? 3 : 0,
    convention: zero ? "zero-16" : "megatron-bf16-18",
    stepTimeS: NaN,
    tflopsPerGpu: tflops,
    assumed: zero
      ? "ZeRO-3 with full recompute and prefetch (overlap 1), fp16 grads (16 B/param)"
      : "PTD-P MP 96 split 8 × 12; vpp by the A-row rule",
  };
}

/** Narayanan Table 2, PTD-P vs ZeRO-3 at fixed global batch (B1–B12): held out, not fitted. */
export const PTDP_VS_ZERO3: readonly TrainingRow[] = [
  b("B1", "megatron-gpt-175b", true, 1, 1, 384, 1536, 4, 144),
  b("B2", "megatron-gpt-175b", true, 1, 1, 768, 1536, 2, 88),
  b("B3", "megatron-gpt-175b", true, 1, 1, 1536, 1536, 1, 44),
  b("B4", "megatron-gpt-529.6b", true, 1, 1, 640, 2560, 4, 138),
  b("B5", "megatron-gpt-529.6b", true, 1, 1, 1120, 2240, 2, 98),
  b("B6", "megatron-gpt-529.6b", true, 1, 1, 2240, 2240, 1, 48),
  b("B7", "megatron-gpt-175b", false, 8, 12, 384, 1536, 1, 153),
  b("B8", "megatron-gpt-175b", false, 8, 12, 768, 1536, 1, 149),
  b("B9", "megatron-gpt-175b", false, 8, 12, 1536, 1536, 1, 141),
  b("B10", "megatron-gpt-529.6b", false, 8, 35, 560, 2240, 1, 171),
  b("B11", "megatron-gpt-529.6b", false, 8, 35, 1120, 2240, 1, 167),
  b("B12", "megatron-gpt-529.6b", false, 8, 35, 2240, 2240, 1, 159),
];

/** BLOOM-176B steady state (H1): 104.70 s/iter, 149.77 TFLOP/s (8PD-style): held out. */
export const BLOOM_RUN: TrainingRow = {
  row: "H1",
  model: "bloom-176b",
  cluster: "jean-zay-a100",
  tp: 4,
  pp: 12,
  dp: 8,
  vpp: 1,
  sp: false,
  microBatch: 2,
  globalBatch: 2048,
  seq: 2048,
  recompute: "full",
  zeroStage: 1,
  convention: "megatron-bf16-18",
  stepTimeS: 104.70,
  tflopsPerGpu: 149.77,
  assumed: "no interleaving; Omni-Path rate per GPU as in the cluster registry",
};
