/**
 * Continuous vs static batching and paged-attention fragmentation (replaces mlsysim's
 * ContinuousBatchingModel, whose fragmentation is 0 % whenever seq_len is a multiple of the page
 * size and whose static baseline is a fixed 60 % heuristic).
 *
 * Requests have total lengths L ~ Uniform{1..maxLen} (mean (maxLen+1)/2).
 * - Static (Orca's baseline): each request reserves maxLen contiguous slots; reserved-but-unused
 *   fraction = 1 − E[L]/maxLen; the batch runs until its longest member finishes,
 *   E[max of B] = maxLen·B/(B+1) steps, so useful slot utilisation = E[L]/E[max].
 * - Paged (Kwon et al. 2023, vLLM): a request holds ⌈L/P⌉ pages; the expected empty tail is
 *   E[(−L) mod P] ≈ (P−1)/2 tokens, fragmentation = tail / (E[L] + tail).
 * - Continuous (Yu et al. 2022, Orca): finished requests are replaced every step, so every slot
 *   does useful work.
 * Decode throughput = active sequences / step time at the token-weighted mean context
 * E[L²]/(2E[L]) ≈ maxLen/3.
 *
 * @module
 */
import { vllmCapacity } from "./capacity.ts";
import { decodeStepTime, prepare } from "./engine.ts";
import type { Precision } from "./precision.ts";
import { asGpu, asTransformer } from "./registry.ts";
import type { GpuSpec, ModelSpec } from "./types.ts";

/** Expected empty tail tokens in the last page for lengths uniform on 1..maxLen, page `P`. */
export function expectedPageTail(maxLen: number, pageSize: number): number {
  // Exact average of (P − L mod P) mod P over L = 1..maxLen.
  let sum = 0;
  const full = Math.floor(maxLen / pageSize);
  // Each complete period of P lengths contributes 0 + 1 + … + (P−1).
  sum += full * pageSize * (pageSize - 1) / 2;
  for (let L = full * pageSize + 1; L <= maxLen; L++) sum += (pageSize - (L % pageSize)) % pageSize;
  return sum / maxLen;
}

/** Input of {@link batchingComparison}. */
export interface BatchingInput {
  model: ModelSpec | string;
  gpu: GpuSpec | string;
  tp?: number;
  /** Longest request (prompt + output) the server accepts. */
  maxLen: number;
  /** Scheduler's max concurrent sequences. */
  maxBatch: number;
  /** Paged-attention block size in tokens (default 16). */
  pageSize?: number;
  precision?: Precision;
  kvPrecision?: Precision;
  gmu?: number;
}

/** One policy's outcome. */
export interface BatchingPolicy {
  /** Sequences the memory and scheduler admit at once. */
  maxActiveRequests: number;
  /** KV slots reserved but holding no token, fraction of allocated KV memory. */
  fragmentation: number;
  /** Fraction of batch slots doing useful work. */
  slotUtilization: number;
  throughputTokensPerS: number;
  /** "capacity" if memory limits the batch, else "scheduler". */
  limitedBy: "capacity" | "scheduler";
}

/** Result of {@link batchingComparison}. */
export interface BatchingResult {
  static: BatchingPolicy;
  continuous: BatchingPolicy;
  /** continuous / static throughput. */
  speedupVsStatic: number;
  pageSize: number;
  meanLen: number;
  kvBudgetBytes: number;
}

/** Static vs continuous (paged) batching for one server (model in the module doc). */
export function batchingComparison(input: BatchingInput): BatchingResult {
  const m = asTransformer(input.model);
  const g = asGpu(input.gpu);
  const tp = input.tp ?? 1;
  const P = input.pageSize ?? 16;
  const L = input.maxLen;
  const cap = vllmCapacity({
    model: m,
    gpu: g,
    tp,
    gmu: input.gmu,
    maxModelLen: L,
    precision: input.precision,
    kvPrecision: input.kvPrecision,
  });
  const perTok = cap.kvBytesPerToken;
  const budget = Math.max(0, cap.kvCacheBytes);
  const meanLen = (L + 1) / 2;
  const ctx = (L + 1) * (2 * L + 1) / 6 / (2 * meanLen); // E[L²] / (2 E[L])
  const p = prepare(m, g, tp, input.precision ?? m.nativePrecision, input.kvPrecision);

  const memStatic = Math.floor(budget / (L * perTok));
  const bS = Math.min(input.maxBatch, memStatic);
  const tail = expectedPageTail(L, P);
  const memPaged = Math.floor(budget / ((meanLen + tail) * perTok));
  const bC = Math.min(input.maxBatch, memPaged);

  const stepS = bS > 0 ? decodeStepTime(p, bS, ctx).time : Infinity;
  const expMax = L * bS / (bS + 1);
  const slotS = bS > 0 ? meanLen / expMax : 0;
  const tputS = bS > 0 ? bS * slotS / stepS : 0;
  const stepC = bC > 0 ? decodeStepTime(p, bC, ctx).time : Infinity;
  const tputC = bC > 0 ? bC / stepC : 0;
  return {
    static: {
      maxActiveRequests: bS,
      fragmentation: 1 - meanLen / L,
      slotUtilization: slotS,
      throughputTokensPerS: tputS,
      limitedBy: memStatic < input.maxBatch ? "capacity" : "scheduler",
    },
    continuous: {
      maxActiveRequests: bC,
      fragmentation: tail / (meanLen + tail),
      slotUtilization: bC > 0 ? 1 : 0,
      throughputTokensPerS: tputC,
      limitedBy: memPaged < input.maxBatch ? "capacity" : "scheduler",
    },
    speedupVsStatic: tputS > 0 ? tputC / tputS : Infinity,
    pageSize: P,
    meanLen,
    kvBudgetBytes: budget,
  };
}
