/**
 * What lab v2-10 ("The KV-Cache Memory Wall") needs: Act I's KV wall on a cluster of N GPUs, and
 * Act II's serving configuration (static | continuous | speculative) with TTFT P50/P99,
 * throughput, utilisation, KV memory and an OOM flag.
 *
 * Act II model (one tensor-parallel replica over `gpus`, requests of `prompt` + `output` tokens,
 * `prompt + output = maxSeqLen` by default ¾ / ¼):
 * - continuous: `maxBatch` slots; service time per request `S = prefill + (output−1)·ITL(B)`;
 *   arrivals at `load × maxBatch / S` (Poisson). Slot wait from M/M/c (c = maxBatch, Erlang C);
 *   then the step in flight (½ step at P50, a whole step at P99) and the request's own prefill,
 *   stretched by the other prompts admitted in the same window (Poisson count, P50/P99).
 * - static: a batch of `maxBatch` runs to completion (padding to the longest output); a new
 *   request waits for the running batch (uniform residual: ½ at P50, 0.99 at P99 of its duration)
 *   and then the whole batch's prefill. Slot utilisation = E[out]/E[max out] with outputs
 *   uniform on 1..2·output.
 * - speculative: continuous plus draft-and-verify (speculative.ts) with a draft of
 *   `draftParams` (default Llama-3.2-1B, 1.236 B); the verify step carries k+1 tokens per sequence.
 * GPU utilisation = fraction of the binding roof in use: max(FLOP/s ÷ peak, bytes/s ÷ BW), time
 * averaged, times the busy fraction.
 *
 * @module
 */
import { decodeStepTime, newStep, prefillTime, prepare } from "./engine.ts";
import { kvBytesPerSequence } from "./kv.ts";
import { memoryBudget, type ReservePolicy } from "./memory.ts";
import { paramCounts } from "./params.ts";
import type { Precision } from "./precision.ts";
import { mmcWait, poissonQuantile } from "./queueing.ts";
import { asGpu, asTransformer } from "./registry.ts";
import { expectedTokensPerStep } from "./speculative.ts";
import type { GpuSpec, ModelSpec } from "./types.ts";

/** Input of {@link kvWall}. */
export interface KvWallInput {
  model: ModelSpec | string;
  gpu: GpuSpec | string;
  /** GPUs in the cluster (one TP replica). */
  gpus: number;
  /** Tokens per user. */
  seqLen: number;
  precision?: Precision;
  kvPrecision?: Precision;
  /** "vllm" (default), "none" = seed 002's "all memory after weights". */
  accounting?: ReservePolicy;
}

/** Result of {@link kvWall}. */
export interface KvWallResult {
  kvBytesPerToken: number;
  kvPerUserBytes: number;
  weightsBytes: number;
  /** Nominal cluster memory (datasheet label × GPUs). */
  clusterMemoryBytes: number;
  /** Bytes available for KV after weights and the reserve. */
  availableBytes: number;
  /** vLLM's profiling pass: its tokens and the activation peak it reserves (0 unless "vllm"). */
  profileTokens: number;
  activationBytes: number;
  maxUsers: number;
  weightsFraction: number;
  kvFraction: number;
  /** Weights alone exceed the cluster. */
  oomWeights: boolean;
  bound: "capacity" | "ok";
}

/** Act I: KV per user, memory after weights, and max concurrent users on `gpus` GPUs. */
export function kvWall(input: KvWallInput): KvWallResult {
  const m = asTransformer(input.model);
  const g = asGpu(input.gpu);
  const b = memoryBudget({
    model: m,
    gpu: g,
    gpus: input.gpus,
    precision: input.precision,
    kvPrecision: input.kvPrecision,
    reserve: input.accounting ?? "vllm",
    maxModelLen: input.seqLen,
  });
  const perUser = kvBytesPerSequence(m, input.seqLen, input.kvPrecision ?? "bf16");
  const avail = Math.max(0, b.kvBudgetBytes);
  const users = Math.floor(avail / perUser);
  const cluster = g.memoryBytes * input.gpus;
  return {
    kvBytesPerToken: b.kvBytesPerToken,
    kvPerUserBytes: perUser,
    weightsBytes: b.weightsBytes,
    clusterMemoryBytes: cluster,
    availableBytes: avail,
    profileTokens: b.profileTokens,
    activationBytes: b.activationBytes,
    maxUsers: users,
    weightsFraction: Math.min(1, b.weightsBytes / cluster),
    kvFraction: avail / cluster,
    oomWeights: b.weightsBytes > b.memoryBytes,
    bound: users >= 1 ? "ok" : "capacity",
  };
}

/** Serving mode of Act II. */
export type ServingMode = "static" | "continuous" | "speculative";

/** Input of {@link servingConfig}. */
export interface ServingConfigInput {
  model: ModelSpec | string;
  gpu: GpuSpec | string;
  gpus: number;
  maxBatch: number;
  /** Prompt + output tokens per request. */
  maxSeqLen: number;
  mode: ServingMode;
  /** Default round(0.75 × maxSeqLen). */
  prompt?: number;
  /** Default maxSeqLen − prompt. */
  output?: number;
  /** Offered load as a fraction of capacity, 0 < load < 1 (default 0.8). */
  load?: number;
  /** Fixed Poisson arrival rate, requests/s; overrides `load` (continuous/speculative). */
  arrivalRatePerS?: number;
  precision?: Precision;
  kvPrecision?: Precision;
  /** Speculative decoding acceptance rate (default 0.7) and draft length (default 4). */
  alpha?: number;
  draftLength?: number;
  /** Draft model parameters (default 1.236e9, Llama-3.2-1B). */
  draftParams?: number;
}

/** Result of {@link servingConfig}. Times in seconds, sizes in bytes. */
export interface ServingConfigResult {
  mode: ServingMode;
  ttftP50S: number;
  ttftP99S: number;
  itlS: number;
  throughputTokensPerS: number;
  /** Fraction of the binding roof (compute or bandwidth) in use, time-averaged. */
  gpuUtilization: number;
  /** Useful FLOP/s ÷ dense peak of the replica. */
  mfu: number;
  slotUtilization: number;
  /** KV for maxBatch requests at maxSeqLen. */
  kvMemoryBytes: number;
  kvAvailableBytes: number;
  oom: boolean;
  arrivalRatePerS: number;
  bound: "compute" | "bandwidth" | "overhead" | "communication" | "capacity" | "queueing";
}

/** Act II: one serving configuration's latency, throughput and memory (module doc). */
export function servingConfig(input: ServingConfigInput): ServingConfigResult {
  const m = asTransformer(input.model);
  const g = asGpu(input.gpu);
  const tp = input.gpus;
  const prec = input.precision ?? m.nativePrecision;
  const p = prepare(m, g, tp, prec, input.kvPrecision);
  const prompt = input.prompt ?? Math.round(0.75 * input.maxSeqLen);
  const output = Math.max(1, input.output ?? input.maxSeqLen - prompt);
  const B = input.maxBatch;
  const load = input.load ?? 0.8;
  const budget = memoryBudget({
    model: m,
    gpu: g,
    gpus: tp,
    precision: prec,
    kvPrecision: input.kvPrecision,
    maxModelLen: input.maxSeqLen,
  });
  const kvMem = B * kvBytesPerSequence(m, input.maxSeqLen, input.kvPrecision ?? "bf16");
  const avail = Math.max(0, budget.kvBudgetBytes);
  const oom = kvMem > avail;
  const ctx = prompt + output / 2;
  const step = decodeStepTime(p, B, ctx);
  const pf1 = prefillTime(p, 1, prompt, newStep());
  const peakAll = p.peak;
  let ttft50: number, ttft99: number, itl: number, tput: number, util: number, mfu: number;
  let slot: number, lambda: number;
  let bound: ServingConfigResult["bound"] = step.bound;
  if (input.mode === "static") {
    const pfB = prefillTime(p, B, prompt, newStep());
    const expMaxOut = 2 * output * B / (B + 1); // outputs uniform on 1..2·output
    const batchS = pfB.time + expMaxOut * step.time;
    itl = step.time;
    slot = output / expMaxOut;
    tput = B * output / batchS;
    lambda = tput / output;
    ttft50 = 0.5 * batchS + pfB.time;
    ttft99 = 0.99 * batchS + pfB.time;
    const busyFlops = pfB.flops + expMaxOut * step.flops * slot;
    const busyBytes = pfB.bytes + expMaxOut * step.bytes;
    mfu = busyFlops / batchS / peakAll;
    util = Math.max(mfu, busyBytes / batchS / p.bandwidth);
    if (ttft50 > pfB.time * 2) bound = "queueing";
  } else {
    let stepTime = step.time, tokensPerStep = 1, stepFlops = step.flops, stepBytes = step.bytes;
    if (input.mode === "speculative") {
      const alpha = input.alpha ?? 0.7, k = input.draftLength ?? 4;
      const ratio = Math.min(1, (input.draftParams ?? 1.236e9) / paramCounts(m).active);
      const verify = decodeStepTime(p, B, ctx, newStep());
      // Verification carries k+1 tokens per sequence: compute ×(k+1), weights/KV read once.
      const vCompute = verify.compute * (k + 1);
      const vTime = Math.max(vCompute, verify.memory) + verify.comm + verify.overhead;
      const draft = verify.overhead + ratio * (Math.max(verify.compute, verify.memory));
      stepTime = vTime + k * draft;
      tokensPerStep = expectedTokensPerStep(alpha, k);
      stepFlops = verify.flops * (k + 1) * (1 + ratio * k / (k + 1));
      stepBytes = verify.bytes * (1 + k * ratio);
      if (vCompute > verify.memory) bound = "compute";
    }
    itl = stepTime / tokensPerStep;
    const service = pf1.time + (output - 1) * itl;
    const mu = 1 / service;
    lambda = input.arrivalRatePerS ?? load * B * mu;
    const w = mmcWait(lambda, mu, B);
    const share = Math.min(0.99, lambda * pf1.time);
    const stretched = itl / (1 - share);
    itl = stretched;
    const n99 = poissonQuantile(lambda * pf1.time, 0.99);
    ttft50 = w.p50S + 0.5 * stepTime + pf1.time;
    ttft99 = w.p99S + stepTime + pf1.time * (1 + n99);
    tput = lambda * output;
    slot = Math.min(1, lambda / (B * mu));
    const tokensPerS = B * slot * tokensPerStep / stepTime;
    mfu = (tokensPerS / tokensPerStep * stepFlops / B + lambda * pf1.flops) / peakAll;
    util = Math.max(mfu, (slot * stepBytes / stepTime + lambda * pf1.bytes) / p.bandwidth);
    if (!w.stable) bound = "queueing";
  }
  if (oom) bound = "capacity";
  return {
    mode: input.mode,
    ttftP50S: ttft50,
    ttftP99S: ttft99,
    itlS: itl,
    throughputTokensPerS: tput,
    gpuUtilization: Math.min(1, util),
    mfu: Math.min(1, mfu),
    slotUtilization: slot,
    kvMemoryBytes: kvMem,
    kvAvailableBytes: avail,
    oom,
    arrivalRatePerS: lambda,
    bound,
  };
}
