/**
 * Parameter counts from config fields (calibration.md C1): embedding + per-layer attention / MLP /
 * norms (+ QKV bias) + untied lm_head + final norm. These reproduce Hugging Face's safetensors
 * totals to the parameter (e.g. 8,030,261,248 for Llama-3.1-8B).
 *
 * @module
 */
import type { ModelSpec, TransformerSpec } from "./types.ts";

/** A model's parameters, split the ways the solvers need. */
export interface ParamCounts {
  /** Every stored parameter (all experts). */
  total: number;
  /** Parameters one token touches (top-k + shared experts for MoE; equals total for dense). */
  active: number;
  /** Input token embedding (plus learned positions). */
  embedding: number;
  /** Output projection; 0 when tied to the embedding. */
  lmHead: number;
  /** Parameters in all transformer layers (attention + MLP + norms), all experts. */
  layers: number;
  /** Per-token active parameters in all transformer layers. */
  activeLayers: number;
  /** One layer's attention parameters (incl. biases and MLA norms). */
  attentionPerLayer: number;
  /** Parameters of one expert (0 for dense). */
  perExpert: number;
}

function normParams(m: TransformerSpec, width: number): number {
  return m.norm === "layernorm" ? 2 * width : width;
}

/** Attention parameters of one layer (Q, K, V, O, biases; MLA low-rank projections and norms). */
export function attentionParams(m: TransformerSpec): number {
  const d = m.hidden;
  if (m.mla) {
    const a = m.mla;
    const qk = a.qkNopeHeadDim + a.qkRopeHeadDim;
    return d * a.qLoraRank + a.qLoraRank + a.qLoraRank * m.heads * qk +
      d * (a.kvLoraRank + a.qkRopeHeadDim) + a.kvLoraRank +
      a.kvLoraRank * m.heads * (a.qkNopeHeadDim + a.vHeadDim) + m.heads * a.vHeadDim * d;
  }
  const q = m.heads * m.headDim;
  const kv = m.kvHeads * m.headDim;
  let p = d * q + 2 * d * kv + q * d;
  if (m.qkvBias) p += q + 2 * kv;
  if (m.linearBias) p += d; // output projection bias
  return p;
}

/** One MLP with intermediate size `ff` (gated: gate/up/down; plain: up/down, + biases). */
export function mlpParams(m: TransformerSpec, ff: number): number {
  const d = m.hidden;
  const mats = m.mlp === "gated" ? 3 : 2;
  let p = mats * d * ff;
  if (m.linearBias) p += (m.mlp === "gated" ? 2 : 1) * ff + d;
  return p;
}

/** Config-exact parameter counts (formula in the module doc; source models.md / calibration C1). */
export function paramCounts(m: TransformerSpec): ParamCounts {
  const d = m.hidden;
  const attn = attentionParams(m);
  const norms = m.normsPerLayer * normParams(m, d);
  let layers = 0;
  let activeLayers = 0;
  let perExpert = 0;
  if (m.moe) {
    const e = m.moe;
    perExpert = mlpParams(m, e.expertIntermediate);
    const router = e.experts * d + (e.routerBias ? e.experts : 0);
    const moeTotal = e.experts * perExpert + e.sharedExperts * perExpert + router;
    const moeActive = (e.topK + e.sharedExperts) * perExpert + router;
    const dense = mlpParams(m, m.intermediate);
    const nMoe = m.layers - e.denseLayers;
    layers = m.layers * (attn + norms) + e.denseLayers * dense + nMoe * moeTotal;
    activeLayers = m.layers * (attn + norms) + e.denseLayers * dense + nMoe * moeActive;
  } else {
    layers = m.layers * (attn + norms + mlpParams(m, m.intermediate));
    activeLayers = layers;
  }
  const embedding = m.vocab * d + m.positionEmbeddings * d;
  const lmHead = m.tiedEmbeddings ? 0 : m.vocab * d;
  const finalNorm = normParams(m, d);
  return {
    total: embedding + layers + lmHead + finalNorm,
    active: embedding + activeLayers + lmHead + finalNorm,
    embedding,
    lmHead,
    layers,
    activeLayers,
    attentionPerLayer: attn,
    perExpert,
  };
}

/** Total parameters of any registry model (CNNs carry their published count). */
export function totalParams(m: ModelSpec): number {
  return m.kind === "cnn" ? m.params : paramCounts(m).total;
}
