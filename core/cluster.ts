/**
 * What lab v2-10 ("The KV-Cache Memory Wall") needs: Act I's KV wall on a cluster of N GPUs, and
 * Act II's serving configuration (static | continuous | speculative) with TTFT P50/P99,
 * delivered throughput against capacity, utilisation, KV memory and an OOM flag.
 *
 * Act I ({@link kvWall}) is {@link maxUsers} on the cluster (one TP replica), so it answers the
 * same question exactly as every other lab does (one reserve convention, capacity.ts).
 *
 * Act II model (one tensor-parallel replica over `gpus`, requests of `prompt` + `output` tokens,
 * `prompt + output = maxSeqLen` by default ¾ / ¼; the KV budget is capacity.ts's convention, so
 * every configuration on one cluster has the same one):
 * - continuous: `maxBatch` = B slots. A sequence's per-token latency without prefills is
 *   `ITL₀ = t_step(B) / E` (E = 1, or the tokens a speculative step yields); prefills of one
 *   prompt (`t_pf`) steal whole steps, so at request rate λ `ITL = ITL₀ / (1 − λ·t_pf)`. A slot is
 *   held for `S(λ) = t_pf + output · ITL` (its prefill, then one step per token; the first token
 *   leaves one step after the prefill, online.ts). Little's law: busy slots `N = λ·S(λ) ≤ B`, so
 *   the capacity λ_max solves `λ·S(λ) = B`: the smaller root of
 *   `t_pf²·λ² − (t_pf·(1 + B) + output·ITL₀)·λ + B = 0`. Offered rate: `arrivalRatePerS`, or
 *   `load × λ_max`. Delivered rate `λ = min(offered, λ_max)`: a saturated queue delivers capacity
 *   (and its TTFT grows without bound). Delivered tokens/s `= λ·output = N·output / S ≤ N / ITL
 *   ≤ B / ITL`. Slot wait from M/M/c (c = B, μ = 1/S, Erlang C); then the step in flight
 *   (½ step at P50, a whole step at P99) and the request's own prefill, stretched by the other
 *   prompts admitted in the same window (Poisson count, P50/P99).
 * - static: a batch of B runs to completion (padding to the longest output, outputs uniform on
 *   1..2·output: E[max] = 2·output·B/(B+1) steps); capacity `B·output / (t_pf(B) + E[max]·t_step)`,
 *   delivered `min(offered, capacity)`; a new request waits for the running batch (uniform
 *   residual: ½ at P50, 0.99 at P99 of its duration) and then the whole batch's prefill.
 * - speculative: continuous plus draft-and-verify (speculative.ts) with a draft of `draftParams`
 *   (default Llama-3.2-1B, 1.236 B) on the same GPUs; the verify step carries k+1 tokens per
 *   sequence (compute and all-reduce bytes × (k+1), weights and KV read once); a draft step costs
 *   the per-step overhead plus `draftParams / target params` of a target step (our assumption).
 *   Once compute-bound, verifying k+1 tokens to keep E < k+1 of them loses to plain decoding:
 *   per token, speculation costs ≥ ((k+1)·t_c + t_comm(k+1) + (k+1)·t_ovh) / E against
 *   t_c + t_comm + t_ovh, so it cannot win on one GPU, nor on a TP group once the wasted verify
 *   compute `(k+1−E)·t_c` exceeds the all-reduce time it amortises `(E−1)·t_comm`.
 * - out of memory (KV of B requests at maxSeqLen exceeds the budget): the engine cannot run the
 *   configuration; it delivers 0 tokens/s, every latency is Infinity, and `message` says why.
 * GPU utilisation = fraction of the binding roof in use: max(FLOP/s ÷ peak, bytes/s ÷ BW), time
 * averaged, times the busy fraction.
 *
 * @module
 */
import { allReduceTime } from "./comm.ts";
import { decodeStepTime, newStep, prefillTime, prepare, type StepTime } from "./engine.ts";
import { formatCount, formatGB } from "./format.ts";
import { maxUsers, memoryBudget, type ReservePolicy } from "./memory.ts";
import { kvBytesPerSequence } from "./kv.ts";
import { contextCheck } from "./limits.ts";
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
  /** The engine settings the reserve used ("vllm"; NaN otherwise), capacity.ts's convention. */
  maxModelLen: number;
  gmu: number;
  maxUsers: number;
  /** weights ÷ cluster memory, unclamped (1.76 when the weights need 176 % of it). */
  weightsShare: number;
  /** min(1, weightsShare): the bar-chart share. */
  weightsFraction: number;
  kvFraction: number;
  /** Weights alone exceed the cluster. */
  oomWeights: boolean;
  /** The model's configured max context, and whether seqLen exceeds it (limits.ts). */
  modelMaxContext: number;
  exceedsModelContext: boolean;
  /** Empty, or why the context is beyond the model (limits.ts). */
  contextMessage: string;
  /** "model" when seqLen exceeds the model's max context; "capacity" when no user fits. */
  bound: "capacity" | "model" | "ok";
}

/** Act I: KV per user, memory after weights, and max concurrent users on `gpus` GPUs. */
export function kvWall(input: KvWallInput): KvWallResult {
  const g = asGpu(input.gpu);
  const u = maxUsers({
    model: input.model,
    gpu: g,
    gpus: input.gpus,
    seqLen: input.seqLen,
    precision: input.precision,
    kvPrecision: input.kvPrecision,
    reserve: input.accounting ?? "vllm",
  });
  const avail = Math.max(0, u.kvBudgetBytes);
  const cluster = g.memoryBytes * input.gpus;
  const share = u.weightsBytes / cluster;
  return {
    kvBytesPerToken: u.kvBytesPerToken,
    kvPerUserBytes: u.kvPerUserBytes,
    weightsBytes: u.weightsBytes,
    clusterMemoryBytes: cluster,
    availableBytes: avail,
    profileTokens: u.profileTokens,
    activationBytes: u.activationBytes,
    maxModelLen: u.maxModelLen,
    gmu: u.gmu,
    maxUsers: u.maxUsers,
    weightsShare: share,
    weightsFraction: Math.min(1, share),
    kvFraction: avail / cluster,
    oomWeights: u.weightsBytes > u.memoryBytes,
    modelMaxContext: u.modelMaxContext,
    exceedsModelContext: u.exceedsModelContext,
    contextMessage: contextCheck(input.model, input.seqLen).message,
    bound: u.bound,
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

/** Whether a configuration runs, saturates its queue, or does not fit. */
export type ServingStatus = "ok" | "saturated" | "oom";

/** Result of {@link servingConfig}. Times in seconds, sizes in bytes. */
export interface ServingConfigResult {
  mode: ServingMode;
  status: ServingStatus;
  /** One sentence on what limits the configuration (empty when "ok"). */
  message: string;
  ttftP50S: number;
  ttftP99S: number;
  /** Per-token latency a sequence sees (prefill stealing included). */
  itlS: number;
  /** Delivered output tokens/s: min(offered, capacity); 0 when out of memory. */
  throughputTokensPerS: number;
  /** What the arrivals ask for: offered request rate × output tokens. */
  offeredTokensPerS: number;
  /** The most this configuration can deliver (busy slots = B, Little's law); 0 when OOM. */
  capacityTokensPerS: number;
  /** Fraction of the binding roof (compute or bandwidth) in use, time-averaged. */
  gpuUtilization: number;
  /** Useful FLOP/s ÷ dense peak of the replica. */
  mfu: number;
  /** Mean busy slots ÷ maxBatch. */
  slotUtilization: number;
  /** Mean busy slots (Little's law: delivered request rate × slot holding time). */
  busySlots: number;
  /** KV for maxBatch requests at maxSeqLen. */
  kvMemoryBytes: number;
  kvAvailableBytes: number;
  /** The engine setting the budget used (max_model_len, capacity.ts), and its profile pass. */
  maxModelLen: number;
  profileTokens: number;
  oom: boolean;
  /** maxSeqLen exceeds the model's configured max context (limits.ts). */
  exceedsModelContext: boolean;
  /** Delivered request rate, requests/s (the offered rate, capped at capacity). */
  arrivalRatePerS: number;
  /** The offered request rate, requests/s. */
  offeredRatePerS: number;
  bound: "compute" | "bandwidth" | "overhead" | "communication" | "capacity" | "queueing";
}

/**
 * Capacity request rate of B slots: the λ with `λ·(t_pf + output·ITL₀/(1 − λ·t_pf)) = B`
 * (module doc), the smaller root of `t_pf²λ² − bλ + B = 0`, `b = t_pf(1 + B) + output·ITL₀`,
 * written `2B / (b + √(b² − 4t_pf²B))` so it stays exact as t_pf → 0.
 */
export function slotCapacityRate(B: number, prefillS: number, output: number, itl0: number) {
  const b = prefillS * (1 + B) + output * itl0;
  return 2 * B / (b + Math.sqrt(Math.max(0, b * b - 4 * prefillS * prefillS * B)));
}

/** One speculative round (k drafts + one verify of k+1 tokens per sequence), seconds. */
function speculativeRound(
  verify: StepTime,
  tokens: number,
  k: number,
  ratio: number,
  comm: (tokens: number) => number,
) {
  const vCompute = verify.compute * (k + 1);
  const vComm = comm(tokens * (k + 1));
  const verifyS = Math.max(vCompute, verify.memory) + vComm + verify.overhead;
  const draftS = verify.overhead + ratio * (Math.max(verify.compute, verify.memory) + verify.comm);
  return { timeS: verifyS + k * draftS, computeBound: vCompute > verify.memory };
}

const INFINITE_LATENCY = { ttft50: Infinity, ttft99: Infinity, itl: Infinity };

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
  });
  const kvMem = B * kvBytesPerSequence(m, input.maxSeqLen, input.kvPrecision ?? "bf16") *
    budget.kvReplication;
  const avail = Math.max(0, budget.kvBudgetBytes);
  const oom = kvMem > avail;
  const ctx = prompt + output / 2;
  const step = decodeStepTime(p, B, ctx);
  const pf1 = prefillTime(p, 1, prompt, newStep());
  const peakAll = p.peak;
  let ttft50: number, ttft99: number, itl: number, mfu: number, util: number;
  let capRate: number, offered: number, slot: number, busy: number;
  let bound: ServingConfigResult["bound"] = step.bound;
  if (input.mode === "static") {
    const pfB = prefillTime(p, B, prompt, newStep());
    const expMaxOut = 2 * output * B / (B + 1); // outputs uniform on 1..2·output
    const batchS = pfB.time + expMaxOut * step.time;
    capRate = B / batchS;
    offered = input.arrivalRatePerS ?? load * capRate;
    const rate = Math.min(offered, capRate);
    const busyFrac = rate / capRate;
    itl = step.time;
    busy = B * busyFrac;
    slot = busyFrac * output / expMaxOut;
    ttft50 = 0.5 * batchS + pfB.time;
    ttft99 = 0.99 * batchS + pfB.time;
    const busyFlops = pfB.flops + expMaxOut * step.flops * (output / expMaxOut);
    const busyBytes = pfB.bytes + expMaxOut * step.bytes;
    mfu = busyFrac * busyFlops / batchS / peakAll;
    util = Math.max(mfu, busyFrac * busyBytes / batchS / p.bandwidth);
    if (ttft50 > pfB.time * 2) bound = "queueing";
  } else {
    let stepTime = step.time, tokensPerStep = 1, stepFlops = step.flops, stepBytes = step.bytes;
    if (input.mode === "speculative") {
      const alpha = input.alpha ?? 0.7, k = input.draftLength ?? 4;
      const ratio = Math.min(1, (input.draftParams ?? 1.236e9) / paramCounts(m).active);
      const comm = (tokens: number) =>
        tp > 1
          ? 2 * p.layers * allReduceTime(tokens * p.allReduceBytesPerToken, tp, p.linkBandwidth)
          : 0;
      const round = speculativeRound(step, B, k, ratio, comm);
      stepTime = round.timeS;
      tokensPerStep = expectedTokensPerStep(alpha, k);
      stepFlops = step.flops * (k + 1) * (1 + ratio * k / (k + 1));
      stepBytes = step.bytes * (1 + k * ratio);
      if (round.computeBound) bound = "compute";
    }
    const itl0 = stepTime / tokensPerStep;
    capRate = slotCapacityRate(B, pf1.time, output, itl0);
    offered = input.arrivalRatePerS ?? load * capRate;
    const rate = Math.min(offered, capRate);
    const share = rate * pf1.time;
    itl = itl0 / (1 - share);
    const holdS = pf1.time + output * itl;
    busy = rate * holdS;
    slot = busy / B;
    const w = mmcWait(rate, 1 / holdS, B);
    const n99 = poissonQuantile(rate * pf1.time, 0.99);
    ttft50 = w.p50S + 0.5 * stepTime + pf1.time;
    ttft99 = w.p99S + stepTime + pf1.time * (1 + n99);
    const decodeFrac = 1 - share;
    mfu = (slot * decodeFrac * stepFlops / stepTime + rate * pf1.flops) / peakAll;
    util = Math.max(
      mfu,
      (slot * decodeFrac * stepBytes / stepTime + rate * pf1.bytes) / p.bandwidth,
    );
    if (!w.stable) bound = "queueing";
  }
  const saturated = offered >= capRate * (1 - 1e-12);
  let status: ServingStatus = "ok", message = "";
  let delivered = Math.min(offered, capRate) * output;
  let capacity = capRate * output;
  if (saturated) {
    status = "saturated";
    bound = "queueing";
    ttft50 = ttft99 = Infinity;
    message = `Arrivals (${offered.toFixed(2)} req/s) reach the capacity of ${B} slots ` +
      `(${capRate.toFixed(2)} req/s): the queue grows without bound and the server delivers ` +
      `its capacity.`;
  }
  if (oom) {
    status = "oom";
    bound = "capacity";
    ({ ttft50, ttft99, itl } = INFINITE_LATENCY);
    delivered =
      capacity =
      mfu =
      util =
      slot =
      busy =
        0;
    message =
      `Out of memory: ${formatCount(B)} requests × ${formatCount(input.maxSeqLen)} tokens need ${
        formatGB(kvMem, 0)
      } of KV cache, ${formatGB(avail, 0)} is available; ` +
      `the engine cannot start this configuration, so it serves nothing.`;
  }
  return {
    mode: input.mode,
    status,
    message,
    ttftP50S: ttft50,
    ttftP99S: ttft99,
    itlS: itl,
    throughputTokensPerS: delivered,
    offeredTokensPerS: offered * output,
    capacityTokensPerS: capacity,
    gpuUtilization: Math.min(1, util),
    mfu: Math.min(1, mfu),
    slotUtilization: slot,
    busySlots: busy,
    kvMemoryBytes: kvMem,
    kvAvailableBytes: avail,
    maxModelLen: budget.maxModelLen,
    profileTokens: budget.profileTokens,
    oom,
    exceedsModelContext: contextCheck(m, input.maxSeqLen).exceedsModel,
    arrivalRatePerS: oom ? 0 : Math.min(offered, capRate),
    offeredRatePerS: offered,
    bound,
  };
}
