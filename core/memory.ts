/**
 * Memory budgets: how much KV cache fits, how many users, how long a context (what seed 003's
 * `find_max_context` computes, done with config-exact KV and a documented reserve).
 *
 * Reserves:
 * - "vllm": runtime-visible memory × gmu − weights − activation peak − non-torch (capacity.ts);
 * - "seed": seed 003's policy: nominal memory − weights − 2 × weights ("activation overhead");
 * - "none": nominal memory − weights (seed 002 / mlsysim: all memory after weights).
 *
 * @module
 */
import { vllmActivationPeakBytes } from "./activation.ts";
import { DEFAULT_GMU, defaultMaxNumBatchedTokens, NON_TORCH_BYTES } from "./capacity.ts";
import { kvBytesPerSequence, kvBytesPerTokenPerLayer, slidingLayers } from "./kv.ts";
import { paramCounts } from "./params.ts";
import { bytesPerElement, type Precision } from "./precision.ts";
import { asGpu, asTransformer } from "./registry.ts";
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
  /** Context the engine is configured for (sets vLLM's activation profile); default model max. */
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
  kvBytesPerToken: number;
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
  let mem: number, res: number, T = 0, activation = 0;
  if (reserve === "vllm") {
    T = defaultMaxNumBatchedTokens(input.maxModelLen ?? m.maxContext);
    mem = g.runtimeMemoryBytes * n;
    activation = n * vllmActivationPeakBytes(m, T, n);
    res = mem * (1 - (input.gmu ?? DEFAULT_GMU)) + activation + n * NON_TORCH_BYTES;
  } else {
    mem = g.memoryBytes * n;
    res = reserve === "seed" ? 2 * weights : 0;
  }
  const kv = mem - weights - res;
  return {
    reserve,
    gpus: n,
    memoryBytes: mem,
    weightsBytes: weights,
    reserveBytes: res,
    kvBudgetBytes: kv,
    kvBytesPerToken: kvBytesPerTokenPerLayer(m, input.kvPrecision ?? "bf16") * m.layers,
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
export interface MaxUsersResult extends BudgetResult {
  kvPerUserBytes: number;
  /** floor(kv budget / KV per user); 0 if the weights do not fit. */
  maxUsers: number;
  /** The first batch size that runs out of memory (the OOM boundary). */
  oomAtUsers: number;
}

/** Concurrent users of `seqLen` tokens that fit: `⌊kv budget / KV per user⌋`. */
export function maxUsers(input: MaxUsersInput): MaxUsersResult {
  const b = memoryBudget(input);
  const m = asTransformer(input.model);
  const perUser = kvBytesPerSequence(m, input.seqLen, input.kvPrecision ?? "bf16");
  const users = b.kvBudgetBytes > 0 ? Math.floor(b.kvBudgetBytes / perUser) : 0;
  return {
    ...b,
    kvPerUserBytes: perUser,
    maxUsers: users,
    oomAtUsers: users + 1,
    bound: users >= 1 ? "ok" : "capacity",
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
  const b = memoryBudget(input);
  const m = asTransformer(input.model);
  const batch = input.batch ?? 1;
  const perLayer = kvBytesPerTokenPerLayer(m, input.kvPrecision ?? "bf16");
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
