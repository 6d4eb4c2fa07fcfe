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
 * ## One reserve convention ({@link vllmReserve})
 *
 * Every budget in core (this file, `memory.ts`, `serve.ts`, `cluster.ts`, `batching.ts`) goes
 * through {@link vllmReserve}, so the same question gets the same answer in every lab. The one
 * setting that moves the reserve is `max_model_len`, because it sizes vLLM's profiling pass
 * ({@link defaultMaxNumBatchedTokens}). The convention ({@link engineMaxModelLen}): the engine runs
 * with vLLM's default, `max_model_len` = the model's configured maximum context, unless a caller
 * sets it explicitly (`sim capacity --max-model-len`, `batchingComparison`'s `maxLen`). The
 * context a question asks about (users of 4,096 tokens, a request of prompt + output) never
 * resizes the reserve, so two configurations on one cluster share one KV budget. A context above
 * the model's maximum is flagged by limits.ts instead. Results report the `maxModelLen`, `gmu`
 * and profile tokens they used, so a lab can show the setting.
 *
 * @module
 */
import { vllmActivationPeakBytes } from "./activation.ts";
import { kvBytesPerTokenPerLayer } from "./kv.ts";
import { paramCounts } from "./params.ts";
import { bytesPerElement, type Precision } from "./precision.ts";
import { asGpu, asTransformer } from "./registry.ts";
import { tpLayout } from "./tp.ts";
import type { GpuSpec, ModelSpec, TransformerSpec } from "./types.ts";
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

/** vLLM's memory settings (its `--gpu-memory-utilization`, `--max-model-len`, … flags). */
export interface EngineMemorySettings {
  /** gpu_memory_utilization (default 0.90). */
  gmu?: number;
  /** Default: the model's max context (vLLM's default); see {@link engineMaxModelLen}. */
  maxModelLen?: number;
  /** Default: {@link defaultMaxNumBatchedTokens} of `maxModelLen`. */
  maxNumBatchedTokens?: number;
  /** CUDA-graph memory estimate newer vLLM subtracts (default 0; C4: 2,464 MiB seen outside). */
  cudaGraphBytes?: number;
}

/**
 * The convention for `max_model_len` (module doc): an explicit setting, else the model's
 * configured maximum context (what `vllm serve <model>` uses by default).
 */
export function engineMaxModelLen(m: TransformerSpec, explicit?: number): number {
  return explicit ?? m.maxContext;
}

/** Result of {@link vllmReserve}: vLLM's memory budget of one GPU (bytes). */
export interface EngineReserve {
  tp: number;
  gmu: number;
  maxModelLen: number;
  /** Tokens of the profiling pass (max_num_batched_tokens). */
  maxNumBatchedTokens: number;
  /** Runtime-visible memory of the GPU. */
  totalMemoryBytes: number;
  /** totalMemoryBytes × gmu. */
  budgetBytes: number;
  weightsBytes: number;
  activationPeakBytes: number;
  nonTorchBytes: number;
  cudaGraphBytes: number;
  /** budget − weights − activation peak − non-torch − CUDA graphs (negative: does not fit). */
  kvBytes: number;
}

/**
 * vLLM's KV budget of one GPU of a `tp`-way replica:
 * `memory × gmu − weights − activation peak(max_num_batched_tokens) − non-torch − CUDA graphs`
 * (module doc; calibration C3). The one reserve function every budget in core uses.
 */
export function vllmReserve(
  m: TransformerSpec,
  g: GpuSpec,
  tp: number,
  precision: Precision,
  settings: EngineMemorySettings = {},
): EngineReserve {
  const gmu = settings.gmu ?? DEFAULT_GMU;
  const maxModelLen = engineMaxModelLen(m, settings.maxModelLen);
  const T = settings.maxNumBatchedTokens ?? defaultMaxNumBatchedTokens(maxModelLen);
  const total = g.runtimeMemoryBytes;
  const budget = total * gmu;
  const weights = paramCounts(m).total * bytesPerElement(precision) / tp;
  const act = vllmActivationPeakBytes(m, T, tp);
  const cudaGraph = settings.cudaGraphBytes ?? 0;
  return {
    tp,
    gmu,
    maxModelLen,
    maxNumBatchedTokens: T,
    totalMemoryBytes: total,
    budgetBytes: budget,
    weightsBytes: weights,
    activationPeakBytes: act,
    nonTorchBytes: NON_TORCH_BYTES,
    cudaGraphBytes: cudaGraph,
    kvBytes: budget - weights - act - NON_TORCH_BYTES - cudaGraph,
  };
}

/** Input of {@link vllmCapacity}. */
export interface CapacityInput extends EngineMemorySettings {
  model: ModelSpec | string;
  gpu: GpuSpec | string;
  tp?: number;
  /** Default 16. */
  blockSize?: number;
  precision?: Precision;
  kvPrecision?: Precision;
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
  /** KV bytes per token on one GPU (whole KV heads, vLLM's TP layout). */
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
  const blockSize = input.blockSize ?? DEFAULT_BLOCK_SIZE;
  const r = vllmReserve(m, g, tp, input.precision ?? m.nativePrecision, input);
  const perToken = kvBytesPerTokenPerLayer(m, input.kvPrecision ?? "bf16") * m.layers *
    tpLayout(m, tp).kvShare;
  const numBlocks = r.kvBytes > 0 ? Math.floor(r.kvBytes / (blockSize * perToken)) : 0;
  const tokens = numBlocks * blockSize;
  const maxConcurrency = tokens / r.maxModelLen;
  return {
    tp,
    gmu: r.gmu,
    maxModelLen: r.maxModelLen,
    maxNumBatchedTokens: r.maxNumBatchedTokens,
    blockSize,
    totalMemoryBytes: r.totalMemoryBytes,
    budgetBytes: r.budgetBytes,
    weightsBytes: r.weightsBytes,
    activationPeakBytes: r.activationPeakBytes,
    nonTorchBytes: r.nonTorchBytes,
    cudaGraphBytes: r.cudaGraphBytes,
    kvCacheBytes: Math.max(0, r.kvBytes),
    shortfallBytes: Math.max(0, -r.kvBytes),
    kvBytesPerToken: perToken,
    numBlocks,
    kvCacheTokens: tokens,
    maxConcurrency,
    bound: maxConcurrency >= 1 ? "ok" : "capacity",
  };
}
