/**
 * Activation memory kept for the backward pass (Korthikanti et al. 2022, arXiv:2205.05198,
 * Eq. 1, Table 2, §4.2.3, Eq. 5; reference/training.md §1.3). Per transformer layer, 16-bit
 * activations and 1-byte dropout masks, s = sequence, b = microbatch, h = hidden, a = heads,
 * t = tensor-parallel degree:
 *
 * | recompute | no SP | with sequence parallelism |
 * |---|---|---|
 * | none | sbh(10 + 24/t + 5as/(ht)) | sbh(34/t + 5as/(ht)) |
 * | selective (attention core recomputed) | sbh(10 + 24/t) | 34·sbh/t |
 * | full (layer inputs only) | 2·sbh | 2·sbh/t |
 *
 * At t = 1 "none" is Eq. 1, sbh(34 + 5as/h). Under 1F1B the first pipeline stage holds
 * min(p, m) microbatches of L/p layers (≈ L layers' worth once m ≥ p: Eq. 5 does not shrink
 * with p); the interleaved schedule with v chunks multiplies this by (1 + (p − 1)/(p·v))
 * (§4.2.3). The output layer keeps fp32 logits, 4·s·b·V/t bytes, on the last stage.
 * Other precisions scale the 16-bit terms by bytes/2 (an approximation: the 1-byte masks do not
 * scale). Gradient accumulation changes nothing here: only one microbatch (per in-flight slot)
 * is live; it only sets the number of microbatches m.
 *
 * mlsysim's `TrainingMemoryModel` divides neither by t nor by SP and drops the in-flight factor
 * (over- and under-estimates by up to t× and p×); this module keeps both.
 *
 * @module
 */

/** Activation recomputation (checkpointing) policy. */
export type Recompute = "none" | "selective" | "full";

/** Shape of one microbatch on one layer. */
export interface LayerShape {
  seq: number;
  microBatch: number;
  hidden: number;
  heads: number;
  /** Tensor-parallel degree (default 1). */
  tp?: number;
  /** Sequence parallelism on (default false; needs tp > 1 to matter). */
  sp?: boolean;
  /** Bytes per activation element (default 2). */
  activationBytes?: number;
}

/** Bytes one layer keeps for backward for one microbatch (table in the module doc). */
export function layerActivationBytes(x: LayerShape, recompute: Recompute): number {
  const t = x.tp ?? 1, s = x.seq, b = x.microBatch, h = x.hidden, a = x.heads;
  const sbh = s * b * h, scale = (x.activationBytes ?? 2) / 2;
  const attn = 5 * a * s / (h * t);
  let perSbh: number;
  if (recompute === "full") perSbh = x.sp ? 2 / t : 2;
  else if (x.sp) perSbh = 34 / t + (recompute === "none" ? attn : 0);
  else perSbh = 10 + 24 / t + (recompute === "none" ? attn : 0);
  return sbh * perSbh * scale;
}

/** Layers' worth of activations the first pipeline stage holds (module doc, Eq. 5 / §4.2.3). */
export function inFlightLayers(
  layers: number,
  pp: number,
  microbatches: number,
  vpp = 1,
): number {
  const perStage = layers / pp;
  const inFlight = Math.min(pp, microbatches);
  const interleave = vpp > 1 ? 1 + (pp - 1) / (pp * vpp) : 1;
  return perStage * inFlight * interleave;
}

/** Input of {@link activationMemory}. */
export interface ActivationInput extends LayerShape {
  layers: number;
  vocab: number;
  recompute: Recompute;
  pp?: number;
  vpp?: number;
  /** Microbatches per step per pipeline (m = global batch ÷ (b · dp)). */
  microbatches?: number;
}

/** Per-GPU activation bytes on the first and on the last pipeline stage. */
export interface ActivationMemory {
  perLayer: number;
  /** Transformer layers only, first stage (Korthikanti Fig. 1's quantity). */
  layers: number;
  /** fp32 logits of the output layer (last stage). */
  logits: number;
  firstStage: number;
  lastStage: number;
  /** max(firstStage, lastStage): the GPU that OOMs first. */
  peak: number;
}

/** Activation memory of a pipeline's first and last stage (module doc). */
export function activationMemory(x: ActivationInput): ActivationMemory {
  const pp = x.pp ?? 1, t = x.tp ?? 1;
  const perLayer = layerActivationBytes(x, x.recompute);
  const layers = perLayer * inFlightLayers(x.layers, pp, x.microbatches ?? pp, x.vpp ?? 1);
  const logits = 4 * x.seq * x.microBatch * x.vocab / t;
  const lastLayers = perLayer * x.layers / pp; // the last stage holds one microbatch in flight
  const firstStage = pp === 1 ? layers + logits : layers;
  const lastStage = pp === 1 ? firstStage : lastLayers + logits;
  return { perLayer, layers, logits, firstStage, lastStage, peak: Math.max(firstStage, lastStage) };
}
