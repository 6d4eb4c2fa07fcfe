/**
 * Activation memory: the transient tensors of one forward pass over `T` tokens.
 *
 * Forward transients per GPU (bf16, 2 B): residual stream `T·d`, QKV output `T·(H+2·KV)·d_head/tp`,
 * the gated MLP's gate+up output `T·2·ff/tp` and its activation `T·ff/tp` (the largest live set;
 * cf. the closed form of alvarobartt/hf-mem PR #67: persistent residual + largest transient).
 *
 * vLLM's profile run also computes logits for every dummy token: bf16 logits (2 B) + their fp32
 * upcast (4 B) + fp32 probabilities in the dummy sampler pass (4 B) = 10 B per logit. This is our
 * reading of vLLM's `profile_run`, checked against calibration C3: 8192 tokens × 128,256 vocab
 * → 9.79 GiB modelled vs 9.37 GiB logged (+4.5 %).
 *
 * @module
 */
import type { TransformerSpec } from "./types.ts";

/** Bytes per logit held at the peak of vLLM's profile run (see module doc). */
export const PROFILE_LOGIT_BYTES = 10;

/** Peak forward-pass transient bytes per GPU for `tokens` tokens (formula in the module doc). */
export function forwardActivationBytes(m: TransformerSpec, tokens: number, tp = 1): number {
  const ff = m.moe
    ? Math.max(m.intermediate, m.moe.expertIntermediate * m.moe.topK)
    : m.intermediate;
  const qkv = (m.heads + 2 * m.kvHeads) * m.headDim / tp;
  const mlp = (m.mlp === "gated" ? 3 : 2) * ff / tp;
  return 2 * tokens * (2 * m.hidden + Math.max(qkv, mlp));
}

/**
 * Activation peak vLLM's profile run measures for `maxNumBatchedTokens`:
 * `max(forward transients, T · vocab · 10 B + residual)`. The driver rank gathers full logits,
 * and vLLM budgets with the minimum over ranks, so the logits term does not shrink with TP.
 */
export function vllmActivationPeakBytes(
  m: TransformerSpec,
  maxNumBatchedTokens: number,
  tp = 1,
): number {
  const fwd = forwardActivationBytes(m, maxNumBatchedTokens, tp);
  const logits = maxNumBatchedTokens * m.vocab * PROFILE_LOGIT_BYTES +
    2 * maxNumBatchedTokens * m.hidden;
  return Math.max(fwd, logits);
}

/**
 * Activation bytes a serving engine actually holds while prefilling `tokens` tokens of `batch`
 * prompts: forward transients plus fp32 logits for the last token of each prompt.
 */
export function servingActivationBytes(
  m: TransformerSpec,
  tokens: number,
  batch: number,
  tp = 1,
): number {
  return forwardActivationBytes(m, tokens, tp) + batch * m.vocab * 4;
}
