/**
 * Memory budgets: how much KV cache fits, how many users, how long a context (what seed 003's
 * `find_max_context` computes, done with config-exact KV and a documented reserve).
 *
 * Reserves:
 * - "vllm": runtime-visible memory × gmu − weights − activation peak − non-torch, from the one
 *   reserve function `vllmReserve` (capacity.ts), with its `max_model_len` convention (the
 *   model's maximum unless set explicitly; never the context a question asks about);
 * - "seed": seed 003's policy: nominal memory − weights − 2 × weights ("activation overhead");
 * - "none": nominal memory − weights (seed 002 / mlsysim: all memory after weights).
 *
 * @module
 */
import { vllmReserve } from "./capacity.ts";
import { kvBytesPerSequence, kvBytesPerTokenPerLayer, slidingLayers } from "./kv.ts";
import { contextCheck } from "./limits.ts";
import { paramCounts } from "./params.ts";
import { bytesPerElement, type Precision } from "./precision.ts";
import { asGpu, asTransformer } from "./registry.ts";
import { tpLayout } from "./tp.ts";
import type { GpuSpec, ModelSpec } from "./types.ts";

/** Reserve policy for {@link memoryBudget}. */
export type ReservePolicy = "vllm" | "seed" | "none";

/** Input of {@link memoryBudget}. */
export interface BudgetInput {
  model: ModelSpec | string;
  gpu: GpuSpec | string;
  /** GPUs holding one model replica (tensor parallel, default 1). */
  gpus?: number;
  precision?: Precision;
  kvPrecision?: Precision;
  reserve?: ReservePolicy;
  gmu?: number;
  /**
   * vLLM's max_model_len: sizes its profiling pass, so the activation reserve ("vllm" only).
   * Default: capacity.ts's convention, the model's max context.
   */
  maxModelLen?: number;
}

/** Result of {@link memoryBudget} (bytes, whole replica). */
export interface BudgetResult {
  reserve: ReservePolicy;
  gpus: number;
  /** Memory counted (runtime-visible for "vllm", nominal otherwise). */
  memoryBytes: number;
  weightsBytes: number;
  reserveBytes: number;
  /** Bytes left for the KV cache; negative means the weights do not fit. */
  kvBudgetBytes: number;
  /** KV bytes per token over the replica (× the copies of replicated KV heads under TP). */
  kvBytesPerToken: number;
  /** Copies of each KV head across the replica's GPUs (1 unless TP > KV heads; tp.ts). */
  kvReplication: number;
  /** gpu_memory_utilization and max_model_len the "vllm" reserve used (NaN for the others). */
  gmu: number;
  maxModelLen: number;
  /**
   * "vllm" only (else 0): tokens of vLLM's profiling pass (its max_num_batched_tokens) and the
   * activation peak it measures, summed over the replica's GPUs — part of `reserveBytes`.
   */
  profileTokens: number;
  activationBytes: number;
  /** "capacity" when the weights alone do not fit. */
  bound: "capacity" | "ok";
}

/** KV-cache budget of a model replica under a reserve policy (module doc). */
export function memoryBudget(input: BudgetInput): BudgetResult {
  const m = asTransformer(input.model);
  const g = asGpu(input.gpu);
  const n = input.gpus ?? 1;
  const reserve = input.reserve ?? "vllm";
  const weights = paramCounts(m).total * bytesPerElement(input.precision ?? m.nativePrecision);
  let mem: number, res: number, T = 0, activation = 0, gmu = NaN, maxModelLen = NaN;
  if (reserve === "vllm") {
    const precision = input.precision ?? m.nativePrecision;
    const r = vllmReserve(m, g, n, precision, { gmu: input.gmu, maxModelLen: input.maxModelLen });
    T = r.maxNumBatchedTokens;
    gmu = r.gmu;
    maxModelLen = r.maxModelLen;
    mem = r.totalMemoryBytes * n;
    activation = n * r.activationPeakBytes;
    res = n * (r.totalMemoryBytes - r.budgetBytes + r.activationPeakBytes + r.nonTorchBytes +
      r.cudaGraphBytes);
  } else {
    mem = g.memoryBytes * n;
    res = reserve === "seed" ? 2 * weights : 0;
  }
  const kv = mem - weights - res;
  const replication = tpLayout(m, n).kvReplication;
  return {
    reserve,
    gpus: n,
    memoryBytes: mem,
    weightsBytes: weights,
    reserveBytes: res,
    kvBudgetBytes: kv,
    kvBytesPerToken: kvBytesPerTokenPerLayer(m, input.kvPrecision ?? "bf16") * m.layers *
      replication,
    kvReplication: replication,
    gmu,
    maxModelLen,
    profileTokens: T,
    activationBytes: activation,
    bound: kv > 0 ? "ok" : "capacity",
  };
}

/** Input of {@link maxUsers}. */
export interface MaxUsersInput extends BudgetInput {
  /** Tokens each user holds. */
  seqLen: number;
}

/** Result of {@link maxUsers}. */
export interface MaxUsersResult extends Omit<BudgetResult, "bound"> {
  /** KV one user holds over the replica (replicated KV heads counted on every GPU). */
  kvPerUserBytes: number;
  /** floor(kv budget / KV per user); 0 if the weights do not fit. */
  maxUsers: number;
  /** The first batch size that runs out of memory (the OOM boundary). */
  oomAtUsers: number;
  /** The model's configured maximum context, and whether `seqLen` exceeds it (limits.ts). */
  modelMaxContext: number;
  exceedsModelContext: boolean;
  /** "model" when seqLen exceeds the model's max context, "capacity" when no user fits. */
  bound: "capacity" | "model" | "ok";
}

/**
 * Concurrent users of `seqLen` tokens that fit: `⌊kv budget / KV per user⌋` (the budget of
 * capacity.ts's convention). A `seqLen` beyond the model's max context is flagged
 * (`bound: "model"`), whatever the memory says.
 */
export function maxUsers(input: MaxUsersInput): MaxUsersResult {
  const m = asTransformer(input.model);
  const b = memoryBudget(input);
  const perUser = kvBytesPerSequence(m, input.seqLen, input.kvPrecision ?? "bf16") *
    b.kvReplication;
  const users = b.kvBudgetBytes > 0 ? Math.floor(b.kvBudgetBytes / perUser) : 0;
  const limit = contextCheck(m, input.seqLen);
  return {
    ...b,
    kvPerUserBytes: perUser,
    maxUsers: users,
    oomAtUsers: users + 1,
    modelMaxContext: limit.modelMaxContext,
    exceedsModelContext: limit.exceedsModel,
    bound: limit.exceedsModel ? "model" : users >= 1 ? "ok" : "capacity",
  };
}

/** Input of {@link maxContext}. */
export interface MaxContextInput extends BudgetInput {
  /** Concurrent sequences (default 1). */
  batch?: number;
}

/** Result of {@link maxContext}. */
export interface MaxContextResult extends BudgetResult {
  batch: number;
  /** Longest context the memory allows per sequence (Infinity if sliding windows cap it). */
  memoryLimitTokens: number;
  /** The model's configured max context. */
  modelMaxContext: number;
  /** min(memory limit, model max). */
  maxContextTokens: number;
  /** "capacity" if memory binds, "model" if the config's context limit binds. */
  limitedBy: "capacity" | "model";
}

/**
 * Longest per-sequence context for `batch` sequences: `⌊kv budget / (batch × KV bytes per
 * token)⌋` over full-attention layers, with sliding-window layers capped at their window.
 */
export function maxContext(input: MaxContextInput): MaxContextResult {
  const m = asTransformer(input.model);
  const b = memoryBudget(input);
  const batch = input.batch ?? 1;
  const perLayer = kvBytesPerTokenPerLayer(m, input.kvPrecision ?? "bf16") * b.kvReplication;
  const sw = slidingLayers(m);
  const full = m.layers - sw;
  const perSeqBudget = b.kvBudgetBytes / batch;
  let limit: number;
  if (perSeqBudget <= 0) limit = 0;
  else if (full === 0) {
    // Every layer is windowed: the cache stops growing at the window.
    const capped = perLayer * sw * m.slidingWindow!.window;
    limit = capped <= perSeqBudget ? Infinity : Math.floor(perSeqBudget / (perLayer * sw));
  } else {
    const w = m.slidingWindow ? m.slidingWindow.window : Infinity;
    const fullOnly = Math.floor(perSeqBudget / (perLayer * m.layers));
    if (fullOnly <= w) limit = fullOnly;
    else limit = Math.floor((perSeqBudget - perLayer * sw * w) / (perLayer * full));
  }
  const maxTokens = Math.min(limit, m.maxContext);
  return {
    ...b,
    batch,
    memoryLimitTokens: limit,
    modelMaxContext: m.maxContext,
    maxContextTokens: maxTokens,
    limitedBy: limit < m.maxContext ? "capacity" : "model",
    bound: limit >= 1 ? "ok" : "capacity",
  };
}
