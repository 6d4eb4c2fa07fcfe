/**
 * Training FLOPs. Per token of a sequence of length s through a decoder of L layers:
 *
 * - model FLOPs (forward + backward, the MFU numerator):
 *   `6·(L·W + V·h) + 12·L·s·q·f_c`, W = matmul weights of one layer (active experts only),
 *   q = heads·head_dim, f_c = 1 (Megatron's 2024 convention: full s², used for every row we
 *   fit) or ½ (causal, Megatron HEAD ≥ 2026-01). For GPT (MHA, FFN 4h) this is Megatron's
 *   `72·B·s·L·h²·(1 + s/(6h) + V/(12Lh))` per batch (Narayanan et al. 2021; S3).
 * - hardware FLOPs (the HFU numerator) add recomputation: full recompute re-runs each layer's
 *   forward, `+ 2·L·W + 4·L·s·q·f_c` (Narayanan Eq. 3: `96·B·s·l·h²·(1 + s/(6h) + V/(16lh))`);
 *   selective recompute uses Korthikanti's accounting `72·B·s·l·h²·(1 + s/(3h) + V/(12lh))`,
 *   i.e. `+ 12·L·s·q·f_c`, which reproduces the Megatron README HFU column exactly (S2). The
 *   physical re-run is only the attention-core forward (`4·L·s·q`), so this overstates HFU by
 *   ≤ 1 % of the total at s ≤ 4096.
 * - Kaplan et al. 2020 eq. 2.2: forward `2N + 2·L·n_ctx·d_attn`; `C ≈ 6ND` drops the context
 *   term. Hoffmann et al. (Chinchilla) Table 3 uses 6ND (1e9 × 20.2e9 → 1.21e20).
 *
 * @module
 */
import type { TransformerSpec } from "../types.ts";
import type { Recompute } from "./activations.ts";

/** Matmul weights one token multiplies in one layer (active experts only; no biases, norms). */
export function matmulWeightsPerLayer(m: TransformerSpec): number {
  const d = m.hidden, q = m.heads * m.headDim, kv = m.kvHeads * m.headDim;
  const attn = m.mla
    ? (d * m.mla.qLoraRank +
      m.mla.qLoraRank * m.heads * (m.mla.qkNopeHeadDim + m.mla.qkRopeHeadDim) +
      d * (m.mla.kvLoraRank + m.mla.qkRopeHeadDim) +
      m.mla.kvLoraRank * m.heads * (m.mla.qkNopeHeadDim + m.mla.vHeadDim) +
      m.heads * m.mla.vHeadDim * d)
    : d * q + 2 * d * kv + q * d;
  const mats = m.mlp === "gated" ? 3 : 2;
  const ff = m.moe ? m.moe.expertIntermediate * (m.moe.topK + m.moe.sharedExperts) : m.intermediate;
  return attn + mats * d * ff;
}

/** Options of the FLOP counters. */
export interface FlopOptions {
  /** Count only the causal half of the s² attention term (default false: Megatron 2024). */
  causal?: boolean;
}

function attnTerm(m: TransformerSpec, seq: number, o: FlopOptions): number {
  return 4 * m.layers * seq * m.heads * m.headDim * (o.causal ? 0.5 : 1);
}

/** Model FLOPs per trained token (forward + backward; module doc). */
export function modelFlopsPerToken(m: TransformerSpec, seq: number, o: FlopOptions = {}): number {
  return 6 * (m.layers * matmulWeightsPerLayer(m) + m.vocab * m.hidden) + 3 * attnTerm(m, seq, o);
}

/** Hardware FLOPs per trained token, counting recomputation (module doc). */
export function hardwareFlopsPerToken(
  m: TransformerSpec,
  seq: number,
  recompute: Recompute,
  o: FlopOptions = {},
): number {
  const base = modelFlopsPerToken(m, seq, o);
  if (recompute === "full") {
    return base + 2 * m.layers * matmulWeightsPerLayer(m) + attnTerm(m, seq, o);
  }
  if (recompute === "selective") return base + 3 * attnTerm(m, seq, o);
  return base;
}

/** Kaplan's forward FLOPs per token: 2N + 2·L·n_ctx·d_attn (N = non-embedding params). */
export function kaplanForwardFlopsPerToken(
  nonEmbeddingParams: number,
  m: TransformerSpec,
  ctx: number,
): number {
  return 2 * nonEmbeddingParams + 2 * m.layers * ctx * m.heads * m.headDim;
}

/** The 6ND rule: training compute of N parameters on D tokens. */
export function sixND(params: number, tokens: number): number {
  return 6 * params * tokens;
}

/** Total training FLOPs for `tokens` tokens at sequence length `seq` (model FLOPs, module doc). */
export function trainingFlops(
  m: TransformerSpec,
  tokens: number,
  seq: number,
  o: FlopOptions = {},
): number {
  return tokens * modelFlopsPerToken(m, seq, o);
}
