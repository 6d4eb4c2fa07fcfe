/**
 * LLM serving latency and memory for one batch of identical requests (static-batch semantics):
 * all `batch` prompts are prefilled in one step, then decoded together.
 *
 * - TTFT = prefill step of `batch × prompt` tokens ({@link prefillTime}: 2·P_active·tokens +
 *   causal attention, efficiencies and overhead from `calibration.ts`).
 * - ITL  = decode step at the mean context `prompt + output/2` ({@link decodeStepTime}: weights
 *   once + every sequence's KV at its current length; step time is linear in context, so the
 *   mean step equals the step at the mean context).
 * - throughput = batch × output / (TTFT + (output − 1) × ITL).
 * - memory (whole TP group) = weights + KV at `prompt + output` + the activation peak vLLM
 *   reserves from its profiling pass + non-torch, i.e. capacity.ts's one reserve function
 *   (`vllmReserve`, max_model_len = the model's maximum by its convention); feasible when it fits
 *   in runtime-visible memory × gmu — so `feasible` ⇔ `batch ≤ maxUsers(prompt + output)`.
 *
 * @module
 */
import { DEFAULT_GMU, vllmReserve } from "./capacity.ts";
import {
  decodeStepTime,
  kvBytesHeld,
  newStep,
  prefillTime,
  prepare,
  type Prepared,
  type StepBound,
  type StepTime,
} from "./engine.ts";
import { formatGB } from "./format.ts";
import type { Precision } from "./precision.ts";
import { asGpu, asTransformer } from "./registry.ts";
import type { GpuSpec, ModelSpec } from "./types.ts";

/** Input of {@link serve}. */
export interface ServeInput {
  model: ModelSpec | string;
  gpu: GpuSpec | string;
  /** Tensor-parallel GPUs (default 1). */
  tp?: number;
  /** Concurrent requests (default 1). */
  batch?: number;
  /** Prompt tokens per request (default 512). */
  prompt?: number;
  /** Output tokens per request (default 128). */
  output?: number;
  /** Weight precision (default: the checkpoint's). */
  precision?: Precision;
  /** KV-cache precision (default bf16). */
  kvPrecision?: Precision;
  /** Fraction of runtime memory the engine may use (default 0.90). */
  gmu?: number;
}

/** Result of {@link serve}. Times in seconds, sizes in bytes (whole TP group unless noted). */
export interface ServeResult {
  ttftS: number;
  itlS: number;
  /** TTFT + (output − 1) × ITL. */
  e2eS: number;
  throughputTokensPerS: number;
  prefillBound: StepBound;
  decodeBound: StepBound;
  /** "capacity" if it does not fit, else the decode bound. */
  bound: StepBound | "capacity";
  weightsBytes: number;
  kvCacheBytes: number;
  /** Activation peak vLLM reserves (its profiling pass at the engine's max_model_len). */
  activationBytes: number;
  /** max_model_len the reserve was sized for, and the profiling pass's tokens. */
  maxModelLen: number;
  profileTokens: number;
  totalMemoryBytes: number;
  /** Runtime-visible memory of the TP group. */
  memoryCapacityBytes: number;
  /** totalMemoryBytes / memoryCapacityBytes. */
  memoryUtilization: number;
  feasible: boolean;
  /** Why it does not fit (empty when feasible). */
  infeasibleReason: string;
  /** Model FLOPs utilisation during decode / prefill (useful FLOP/s ÷ dense peak). */
  decodeMfu: number;
  prefillMfu: number;
  /** Fraction of HBM bandwidth used during decode. */
  decodeBandwidthUtilization: number;
  /** Step breakdowns, seconds. */
  prefill: StepTime;
  decode: StepTime;
}

/** Evaluate a prepared configuration (the allocation-light core of {@link serve}). */
export function serveFrom(
  p: Prepared,
  batch: number,
  prompt: number,
  output: number,
  gmu = DEFAULT_GMU,
  prefill: StepTime = newStep(),
  decode: StepTime = newStep(),
): ServeResult {
  prefillTime(p, batch, prompt, prefill);
  decodeStepTime(p, batch, prompt + output / 2, decode);
  const ttft = prefill.time;
  const itl = decode.time;
  const e2e = ttft + (output - 1) * itl;
  const tp = p.tp;
  const r = vllmReserve(p.model, p.gpu, tp, p.precision, { gmu });
  const weights = r.weightsBytes * tp;
  const kv = kvBytesHeld(p, batch, prompt + output) * tp;
  const act = r.activationPeakBytes * tp;
  const total = weights + kv + act + r.nonTorchBytes * tp;
  const cap = r.totalMemoryBytes * tp;
  const feasible = kv <= r.kvBytes * tp;
  const infeasibleReason = feasible
    ? ""
    : r.kvBytes <= 0
    ? `the weights and vLLM's reserves need ${formatGB(weights + act + r.nonTorchBytes * tp, 1)} ` +
      `of the ${formatGB(r.budgetBytes * tp, 1)} budget (${tp} × ${p.gpu.name} × gmu ${gmu})`
    : `the KV cache of ${batch} × ${prompt + output} tokens needs ${formatGB(kv, 1)}; ` +
      `${formatGB(r.kvBytes * tp, 1)} is left after the weights and reserves`;
  return {
    ttftS: ttft,
    itlS: itl,
    e2eS: e2e,
    throughputTokensPerS: batch * output / e2e,
    prefillBound: prefill.bound,
    decodeBound: decode.bound,
    bound: feasible ? decode.bound : "capacity",
    weightsBytes: weights,
    kvCacheBytes: kv,
    activationBytes: act,
    maxModelLen: r.maxModelLen,
    profileTokens: r.maxNumBatchedTokens,
    totalMemoryBytes: total,
    memoryCapacityBytes: cap,
    memoryUtilization: total / cap,
    feasible,
    infeasibleReason,
    decodeMfu: decode.flops / (itl * p.peak),
    prefillMfu: prefill.flops / (ttft * p.peak),
    decodeBandwidthUtilization: decode.bytes / (itl * p.bandwidth),
    prefill,
    decode,
  };
}

/**
 * Serving latency, throughput and memory for `batch` identical requests (formulas in the module
 * doc). Example: `serve({model: "llama-3.1-8b", gpu: "h100-sxm"})`.
 */
export function serve(input: ServeInput): ServeResult {
  const m = asTransformer(input.model);
  const g = asGpu(input.gpu);
  const p = prepare(m, g, input.tp ?? 1, input.precision ?? m.nativePrecision, input.kvPrecision);
  return serveFrom(p, input.batch ?? 1, input.prompt ?? 512, input.output ?? 128, input.gmu);
}

/** Scratch state for {@link serveThroughput}'s allocation-free loop. */
const SCRATCH = newStep();

/**
 * Output tokens/s of a prepared configuration, allocation-free (for sweeps and benchmarks):
 * `batch × output / (prefill + (output − 1) × decode step at prompt + output/2)`.
 */
export function serveThroughput(
  p: Prepared,
  batch: number,
  prompt: number,
  output: number,
): number {
  const ttft = prefillTime(p, batch, prompt, SCRATCH).time;
  const itl = decodeStepTime(p, batch, prompt + output / 2, SCRATCH).time;
  return batch * output / (ttft + (output - 1) * itl);
}
