/**
 * KV-cache size (calibration.md C2).
 *
 * Per token, per layer: MHA/GQA/MQA store K and V for each KV head,
 * `2 × kv_heads × head_dim × bytes`; MLA (DeepSeek-V2/V3) stores one compressed latent plus one
 * decoupled RoPE key, `(kv_lora_rank + qk_rope_head_dim) × bytes`. Sliding-window layers keep at
 * most `window` tokens. Source: models.md §1.1 and the models' config.json files.
 *
 * @module
 */
import { bytesPerElement, type Precision } from "./precision.ts";
import { asTransformer } from "./registry.ts";
import type { ModelSpec, TransformerSpec } from "./types.ts";

/** Attention variant, derived from the config. */
export type AttentionKind = "MHA" | "GQA" | "MQA" | "MLA";

/** Attention variant of a transformer: MLA if it has a latent, else by kv_heads vs heads. */
export function attentionKind(m: TransformerSpec): AttentionKind {
  if (m.mla) return "MLA";
  if (m.kvHeads === m.heads) return "MHA";
  if (m.kvHeads === 1) return "MQA";
  return "GQA";
}

/** KV bytes for one token in one layer. */
export function kvBytesPerTokenPerLayer(
  m: TransformerSpec,
  kvPrecision: Precision = "bf16",
): number {
  const b = bytesPerElement(kvPrecision);
  if (m.mla) return (m.mla.kvLoraRank + m.mla.qkRopeHeadDim) * b;
  return 2 * m.kvHeads * m.headDim * b;
}

/** Number of layers that use a sliding window. */
export function slidingLayers(m: TransformerSpec): number {
  if (!m.slidingWindow) return 0;
  return m.slidingWindow.layers === "all" ? m.layers : Math.floor(m.layers / 2);
}

/**
 * KV bytes per token over all layers (the figure vLLM's block size multiplies):
 * `layers × kvBytesPerTokenPerLayer`. Llama-3.1-8B BF16: 2·32·8·128·2 = 131,072 B.
 */
export function kvBytesPerToken(
  model: ModelSpec | string,
  kvPrecision: Precision = "bf16",
): number {
  const m = asTransformer(model);
  return m.layers * kvBytesPerTokenPerLayer(m, kvPrecision);
}

/**
 * KV bytes one sequence of `seqLen` tokens holds: full-attention layers keep every token,
 * sliding-window layers keep `min(seqLen, window)`.
 */
export function kvBytesPerSequence(
  m: TransformerSpec,
  seqLen: number,
  kvPrecision: Precision = "bf16",
): number {
  const perLayer = kvBytesPerTokenPerLayer(m, kvPrecision);
  const sw = slidingLayers(m);
  const win = m.slidingWindow ? Math.min(seqLen, m.slidingWindow.window) : seqLen;
  return perLayer * ((m.layers - sw) * seqLen + sw * win);
}

/** Input of {@link kvCache}. */
export interface KvCacheInput {
  model: ModelSpec | string;
  /** Tokens held per sequence (prompt + generated). */
  seqLen: number;
  /** Concurrent sequences (default 1). */
  batch?: number;
  /** KV-cache element precision (default bf16). */
  kvPrecision?: Precision;
}

/** Result of {@link kvCache}. */
export interface KvCacheResult {
  attention: AttentionKind;
  kvPrecision: Precision;
  /** KV bytes per token over all layers (no sliding-window cap). */
  bytesPerToken: number;
  /** KV bytes per token per layer. */
  bytesPerTokenPerLayer: number;
  /** One sequence at `seqLen` (sliding windows applied). */
  perRequestBytes: number;
  /** `batch × perRequestBytes`. */
  totalBytes: number;
  /** What the same cache would take with query heads as KV heads (the 8× error for Llama-3-70B). */
  mhaEquivalentBytes: number;
  seqLen: number;
  batch: number;
  /** Always "capacity". */
  bound: "capacity";
}

/** KV-cache size for `batch` sequences of `seqLen` tokens (formula in the module doc). */
export function kvCache(input: KvCacheInput): KvCacheResult {
  const m = asTransformer(input.model);
  const p = input.kvPrecision ?? "bf16";
  const batch = input.batch ?? 1;
  const perLayer = kvBytesPerTokenPerLayer(m, p);
  const perReq = kvBytesPerSequence(m, input.seqLen, p);
  const mhaHeadDim = m.mla ? m.mla.qkNopeHeadDim + m.mla.qkRopeHeadDim : m.headDim;
  const mhaPerToken = m.mla
    ? m.layers * m.heads * (mhaHeadDim + m.mla.vHeadDim) * bytesPerElement(p)
    : m.layers * 2 * m.heads * m.headDim * bytesPerElement(p);
  return {
    attention: attentionKind(m),
    kvPrecision: p,
    bytesPerToken: perLayer * m.layers,
    bytesPerTokenPerLayer: perLayer,
    perRequestBytes: perReq,
    totalBytes: perReq * batch,
    mhaEquivalentBytes: mhaPerToken * input.seqLen * batch,
    seqLen: input.seqLen,
    batch,
    bound: "capacity",
  };
}
