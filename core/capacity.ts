/**
 * vLLM-faithful KV-cache capacity (calibration.md "vLLM KV-cache capacity"; vLLM V0 worker.py /
 * V1 gpu_worker.py):
 *
 * ```
 * budget     = runtime-visible memory × gpu_memory_utilization
 * kv_bytes   = budget − weights − activation peak(max_num_batched_tokens) − non-torch memory
 *              [− CUDA-graph estimate]
 * num_blocks = floor(kv_bytes / (block_size × kv_bytes_per_token))
 * max_concurrency = num_blocks × block_size / max_model_len
 * ```
 * Per GPU under tensor parallelism (weights and KV heads shard; vLLM uses the minimum over ranks).
 *
 * @module
 */
import { vllmActivationPeakBytes } from "./activation.ts";
import { kvBytesPerTokenPerLayer } from "./kv.ts";
import { paramCounts } from "./params.ts";
import { bytesPerElement, type Precision } from "./precision.ts";
import { asGpu, asTransformer } from "./registry.ts";
import type { GpuSpec, ModelSpec } from "./types.ts";
import { GiB } from "./units.ts";

/** Non-torch memory (CUDA context, cuBLAS workspace) vLLM logged for TP1: 0.10 GiB (C3). */
export const NON_TORCH_BYTES = 0.10 * GiB;
/** vLLM's default gpu_memory_utilization for most of its history (calibration.md). */
export const DEFAULT_GMU = 0.90;
/** vLLM's KV block size in tokens. */
export const DEFAULT_BLOCK_SIZE = 16;

/** vLLM V0 turns chunked prefill on by default for a max_model_len above this (tokens). */
export const CHUNKED_PREFILL_ABOVE = 32768;
/** The prefill chunk it then uses: max_num_batched_tokens 2048 (also V1's default). */
export const CHUNKED_PREFILL_TOKENS = 2048;

/**
 * vLLM's default max_num_batched_tokens: without chunked prefill `max(max_model_len, 2048)`;
 * with it (max_model_len > {@link CHUNKED_PREFILL_ABOVE}), {@link CHUNKED_PREFILL_TOKENS}.
 */
export function defaultMaxNumBatchedTokens(maxModelLen: number): number {
  return maxModelLen > CHUNKED_PREFILL_ABOVE ? CHUNKED_PREFILL_TOKENS : Math.max(maxModelLen, 2048);
}

/** Input of {@link vllmCapacity}. */
export interface CapacityInput {
  model: ModelSpec | string;
  gpu: GpuSpec | string;
  tp?: number;
  /** gpu_memory_utilization (default 0.90). */
  gmu?: number;
  /** Default: the model's max context. */
  maxModelLen?: number;
  /** Default: {@link defaultMaxNumBatchedTokens}. */
  maxNumBatchedTokens?: number;
  /** Default 16. */
  blockSize?: number;
  precision?: Precision;
  kvPrecision?: Precision;
  /** CUDA-graph memory estimate newer vLLM subtracts (default 0; C4: 2,464 MiB seen outside). */
  cudaGraphBytes?: number;
}

/** Result of {@link vllmCapacity} (all bytes per GPU). */
export interface CapacityResult {
  tp: number;
  gmu: number;
  maxModelLen: number;
  maxNumBatchedTokens: number;
  blockSize: number;
  totalMemoryBytes: number;
  budgetBytes: number;
  weightsBytes: number;
  activationPeakBytes: number;
  nonTorchBytes: number;
  cudaGraphBytes: number;
  /** Bytes left for the KV cache (0 when the weights and reserves fill the budget). */
  kvCacheBytes: number;
  /** Bytes missing when the weights and reserves alone exceed the budget (else 0). */
  shortfallBytes: number;
  kvBytesPerToken: number;
  numBlocks: number;
  kvCacheTokens: number;
  /** num_blocks × block_size / max_model_len. */
  maxConcurrency: number;
  /** "capacity" when not even one max-length request fits, else "ok". */
  bound: "capacity" | "ok";
}

/** vLLM's KV-cache budget (formula in the module doc). */
export function vllmCapacity(input: CapacityInput): CapacityResult {
  const m = asTransformer(input.model);
  const g = asGpu(input.gpu);
  const tp = input.tp ?? 1;
  const gmu = input.gmu ?? DEFAULT_GMU;
  const maxModelLen = input.maxModelLen ?? m.maxContext;
  const T = input.maxNumBatchedTokens ?? defaultMaxNumBatchedTokens(maxModelLen);
  const blockSize = input.blockSize ?? DEFAULT_BLOCK_SIZE;
  const precision = input.precision ?? m.nativePrecision;
  const kvPrecision = input.kvPrecision ?? "bf16";
  const total = g.runtimeMemoryBytes;
  const budget = total * gmu;
  const weights = paramCounts(m).total * bytesPerElement(precision) / tp;
  const act = vllmActivationPeakBytes(m, T, tp);
  const cudaGraph = input.cudaGraphBytes ?? 0;
  const kvBytes = budget - weights - act - NON_TORCH_BYTES - cudaGraph;
  const kvShare = m.mla ? 1 : Math.max(1 / tp, 1 / m.kvHeads);
  const perToken = kvBytesPerTokenPerLayer(m, kvPrecision) * m.layers * kvShare;
  const numBlocks = kvBytes > 0 ? Math.floor(kvBytes / (blockSize * perToken)) : 0;
  const tokens = numBlocks * blockSize;
  const maxConcurrency = tokens / maxModelLen;
  return {
    tp,
    gmu,
    maxModelLen,
    maxNumBatchedTokens: T,
    blockSize,
    totalMemoryBytes: total,
    budgetBytes: budget,
    weightsBytes: weights,
    activationPeakBytes: act,
    nonTorchBytes: NON_TORCH_BYTES,
    cudaGraphBytes: cudaGraph,
    kvCacheBytes: Math.max(0, kvBytes),
    shortfallBytes: Math.max(0, -kvBytes),
    kvBytesPerToken: perToken,
    numBlocks,
    kvCacheTokens: tokens,
    maxConcurrency,
    bound: maxConcurrency >= 1 ? "ok" : "capacity",
  };
}
