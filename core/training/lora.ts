/**
 * LoRA adapter parameter counts: a rank-r adapter on a `d_in × d_out` matrix adds
 * `r · (d_in + d_out)` trainable parameters (Hu et al. 2021, arXiv:2106.09685 §4). The base
 * weights stay frozen: they keep no gradients or optimizer state (`zero.ts` frozenParams).
 *
 * @module
 */
import type { TransformerSpec } from "../types.ts";

/** Which matrices carry adapters: the paper's W_q + W_v, all attention, or every linear layer. */
export type LoraTargets = "qv" | "attention" | "all-linear";

/** Trainable LoRA parameters of rank `rank` over all layers (formula in the module doc). */
export function loraParams(m: TransformerSpec, rank: number, targets: LoraTargets = "qv"): number {
  const d = m.hidden, q = m.heads * m.headDim, kv = m.kvHeads * m.headDim;
  const qv = (d + q) + (d + kv);
  const attn = qv + (d + kv) + (q + d);
  const mats = m.mlp === "gated" ? 3 : 2;
  // MoE: every expert's matrices carry an adapter (all are trained, each on its routed tokens).
  const mlp = m.moe
    ? (m.moe.experts + m.moe.sharedExperts) * mats * (d + m.moe.expertIntermediate)
    : mats * (d + m.intermediate);
  const perLayer = targets === "qv" ? qv : targets === "attention" ? attn : attn + mlp;
  return rank * perLayer * m.layers;
}
